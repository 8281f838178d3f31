/** `@bizosaas/plugin-connectors/testing`: local mock servers for connector tests (each lane adds its line). */
export { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts'

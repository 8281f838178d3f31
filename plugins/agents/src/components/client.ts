/** Client components of the agents admin, referenced from the import map as `@bizosaas/plugin-agents/client#Name`. */
export { ApprovalReview } from './approval-review.tsx'
export { CostCell, StatusCell } from './cells.tsx'
export { JsonView } from './json-view.tsx'
export { RunAgentMenu } from './run-agent-menu.tsx'
export { RunView } from './run-view.tsx'

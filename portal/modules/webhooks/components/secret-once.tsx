/** A signing secret, shown once after it was made or rotated. */
export function SecretOnce({ secret }: { secret: string }) {
  return (
    <p className="ok" role="status" data-webhook-secret>
      Signing secret: <code>{secret}</code>
      <br />
      <small>Store it with your receiver now; BizOSaaS keeps it encrypted and cannot show it again.</small>
    </p>
  )
}

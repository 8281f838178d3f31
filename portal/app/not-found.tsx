export default function NotFound() {
  return (
    <main className="sign-in" data-not-found>
      <h1>Not found</h1>
      <p>There is nothing here for your account.</p>
      <a href="/">Back to your dashboard</a>
    </main>
  )
}

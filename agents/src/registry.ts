import type { AnyAgent } from './agent.ts'
import type { JsonSchema } from './providers/types.ts'
import { toJsonSchema } from './tool.ts'

/** How an agent is listed (admin UI, API, portal). */
export interface AgentListing {
  slug: string
  description: string
  models: string[]
  tools: Array<{ id: string; description: string }>
  /** Whether outputs may wait for a human (`true` or a function). */
  approval: 'always' | 'never' | 'conditional'
  inputSchema: JsonSchema
  outputSchema: JsonSchema
}

/** A set of agents with unique slugs. */
export interface AgentRegistry {
  /** Adds an agent; throws when the slug is taken. */
  register(agent: AnyAgent): AgentRegistry
  /** The agent with this slug; throws an error naming the agents that exist. */
  get(slug: string): AnyAgent
  has(slug: string): boolean
  all(): AnyAgent[]
  slugs(): string[]
  list(): AgentListing[]
}

/** Unknown agent slug. */
export class UnknownAgentError extends Error {
  override name = 'UnknownAgentError'
  constructor(
    readonly slug: string,
    readonly known: string[],
  ) {
    super(`Unknown agent "${slug}". Registered agents: ${known.length ? known.join(', ') : '(none)'}`)
  }
}

/** Describes an agent with JSON Schemas of its input and output. */
export function describeAgent(agent: AnyAgent): AgentListing {
  return {
    slug: agent.slug,
    description: agent.description,
    models: [...agent.models],
    tools: (agent.tools ?? []).map((tool) => ({ id: tool.id, description: tool.description })),
    approval: typeof agent.approval === 'function' ? 'conditional' : agent.approval ? 'always' : 'never',
    inputSchema: toJsonSchema(agent.input, 'input'),
    outputSchema: toJsonSchema(agent.output, 'output'),
  }
}

/** Creates a registry from agents; duplicate slugs throw. */
export function createAgentRegistry(agents: readonly AnyAgent[] = []): AgentRegistry {
  const bySlug = new Map<string, AnyAgent>()
  const registry: AgentRegistry = {
    register(agent) {
      const existing = bySlug.get(agent.slug)
      if (existing) {
        throw new Error(
          existing === agent
            ? `Agent "${agent.slug}" is registered twice`
            : `Duplicate agent slug "${agent.slug}": two different agents use it`,
        )
      }
      bySlug.set(agent.slug, agent)
      return registry
    },
    get(slug) {
      const agent = bySlug.get(slug)
      if (!agent) throw new UnknownAgentError(slug, [...bySlug.keys()].sort())
      return agent
    },
    has: (slug) => bySlug.has(slug),
    all: () => [...bySlug.values()],
    slugs: () => [...bySlug.keys()],
    list: () => [...bySlug.values()].map(describeAgent),
  }
  for (const agent of agents) registry.register(agent)
  return registry
}

/** The Dockerfile reader: stages, and the COPY/ADD sources that come from the build context. */
import { describe, expect, it } from 'vitest'
import { lastArgument, parseDockerfile } from './dockerfile.ts'

const text = `FROM node:24-slim AS base
WORKDIR /repo
COPY --chown=node:node package.json pnpm-lock.yaml ./
FROM base AS build
COPY . .
ADD https-not-checked.txt /x
FROM node:24-slim AS runtime
COPY --from=build /repo/out ./
COPY --from=build --chown=node:node /repo/static ./static
USER node
USER 1000
CMD ["node", "server.js"]
`

describe('parseDockerfile', () => {
  const parsed = parseDockerfile(text)

  it('names each stage and its base', () => {
    expect(parsed.stages.map((stage) => [stage.name, stage.base])).toEqual([
      ['base', 'node:24-slim'],
      ['build', 'base'],
      ['runtime', 'node:24-slim'],
    ])
  })

  it('lists context sources, flags aside, and never the ones copied from another stage', () => {
    expect(parsed.contextSources.map((s) => [s.stage, s.keyword, s.source])).toEqual([
      ['base', 'COPY', 'package.json'],
      ['base', 'COPY', 'pnpm-lock.yaml'],
      ['build', 'COPY', '.'],
      ['build', 'ADD', 'https-not-checked.txt'],
    ])
  })

  it('reads the last value of an instruction in a stage', () => {
    expect(lastArgument(parsed.stages[2]!, 'USER')).toBe('1000')
    expect(lastArgument(parsed.stages[0]!, 'USER')).toBeUndefined()
  })

  it('rejects a Dockerfile that does not start with FROM, or a COPY without a destination', () => {
    expect(() => parseDockerfile('RUN true\n')).toThrow(/before any FROM/)
    expect(() => parseDockerfile('FROM x\nCOPY onlyone\n')).toThrow(/source and a destination/)
  })
})

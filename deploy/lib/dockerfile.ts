/**
 * A Dockerfile as stages (dockerfile-ast parses it): each stage's name, base and instructions, and the
 * COPY/ADD sources that come from the build context (not `--from` another stage or image).
 */
import { readFileSync } from 'node:fs'
import { DockerfileParser, type Instruction, ModifiableInstruction } from 'dockerfile-ast'

export interface Stage {
  name?: string
  base: string
  instructions: Instruction[]
}

export interface ContextSource {
  stage?: string
  keyword: 'COPY' | 'ADD'
  source: string
  line: number
}

export interface ParsedDockerfile {
  stages: Stage[]
  contextSources: ContextSource[]
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text)
  const stages: Stage[] = []
  const contextSources: ContextSource[] = []
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword()
    if (keyword === 'FROM') {
      const args = instruction.getArguments().map((arg) => arg.getValue())
      const as = args.findIndex((arg) => arg.toUpperCase() === 'AS')
      stages.push({
        base: args.find((arg) => !arg.startsWith('--')) ?? '',
        name: as >= 0 ? args[as + 1] : undefined,
        instructions: [],
      })
      continue
    }
    const stage = stages.at(-1)
    if (!stage) throw new Error(`${keyword} before any FROM (line ${instruction.getRange().start.line + 1})`)
    stage.instructions.push(instruction)
    if (keyword !== 'COPY' && keyword !== 'ADD') continue
    const flags = instruction instanceof ModifiableInstruction ? instruction.getFlags() : []
    if (flags.some((flag) => flag.getName() === 'from')) continue
    const paths = instruction.getArguments().map((arg) => arg.getValue())
    if (paths.length < 2)
      throw new Error(`${keyword} needs a source and a destination (line ${instruction.getRange().start.line + 1})`)
    for (const source of paths.slice(0, -1))
      contextSources.push({ stage: stage.name, keyword, source, line: instruction.getRange().start.line + 1 })
  }
  return { stages, contextSources }
}

export const readDockerfile = (file: string): ParsedDockerfile => parseDockerfile(readFileSync(file, 'utf8'))

/** The last value an instruction sets in a stage (`USER`, `WORKDIR` …), as written. */
export function lastArgument(stage: Stage, keyword: string): string | undefined {
  const found = stage.instructions.filter((instruction) => instruction.getKeyword() === keyword).at(-1)
  return found?.getArgumentsContent() ?? undefined
}

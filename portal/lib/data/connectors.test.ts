import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { fieldsOf } from './connectors.ts'

describe('fieldsOf: the credentials form from a connector’s schema', () => {
  it('one field per property, with its label, help, type, whether required, and secrets as secret', () => {
    const schema = z.object({
      host: z.string().describe('The SMTP server, e.g. smtp.example.com'),
      port: z.number().int().describe('587 for STARTTLS'),
      secure: z.boolean().optional(),
      from: z.email(),
      apiKey: z.string().min(8),
      mode: z.enum(['live', 'test']).optional(),
    })
    const fields = fieldsOf(z.toJSONSchema(schema), ['apiKey'])
    expect(fields).toEqual([
      {
        name: 'host',
        label: 'Host',
        description: 'The SMTP server, e.g. smtp.example.com',
        type: 'text',
        required: true,
        secret: false,
        options: undefined,
      },
      {
        name: 'port',
        label: 'Port',
        description: '587 for STARTTLS',
        type: 'number',
        required: true,
        secret: false,
        options: undefined,
      },
      {
        name: 'secure',
        label: 'Secure',
        description: undefined,
        type: 'boolean',
        required: false,
        secret: false,
        options: undefined,
      },
      {
        name: 'from',
        label: 'From',
        description: undefined,
        type: 'email',
        required: true,
        secret: false,
        options: undefined,
      },
      {
        name: 'apiKey',
        label: 'Api key',
        description: undefined,
        type: 'text',
        required: true,
        secret: true,
        options: undefined,
      },
      {
        name: 'mode',
        label: 'Mode',
        description: undefined,
        type: 'text',
        required: false,
        secret: false,
        options: ['live', 'test'],
      },
    ])
  })

  it('a schema it cannot read gives no fields rather than a broken form', () => {
    expect(fieldsOf('nope', [])).toEqual([])
    expect(fieldsOf({ properties: 3 }, [])).toEqual([])
  })
})

#!/usr/bin/env node
// The `helpdesk` command (on PATH in the API image). `helpdesk` alone serves.
import { ConfigError } from '../config.ts'
import { UserError } from '../errors.ts'
import { asksForHelp, type Command, EXIT, UsageError } from './command.ts'
import { commands } from './commands.ts'

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length))
  const lines = Object.entries(commands).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  )
  return `Usage: helpdesk [command] [flags]\n\nCommands:\n${lines.join('\n')}\n\n'helpdesk <command> --help' describes a command. Configuration comes from environment variables (docs/configuration.md).\n`
}

function commandHelp(name: string, command: Command): string {
  return `helpdesk ${name}: ${command.summary}\n\nUsage: ${command.usage}\n\nConfiguration comes from environment variables (docs/configuration.md).\n`
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv
  if (first === 'help' || first === '--help' || first === '-h') {
    process.stdout.write(usage())
    return EXIT.ok
  }
  const name = first === undefined || first.startsWith('-') ? 'serve' : first
  const args = name === first ? rest : argv
  const command: Command | undefined = commands[name]
  if (!command) {
    process.stderr.write(`helpdesk: unknown command "${name}"\n\n${usage()}`)
    return EXIT.usage
  }
  if (!command.ownHelp && asksForHelp(args)) {
    process.stdout.write(commandHelp(name, command))
    return EXIT.ok
  }
  try {
    return await command.run(args)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`helpdesk: ${error.message}\n`)
      return EXIT.config
    }
    if (error instanceof UsageError) {
      process.stderr.write(`helpdesk ${name}: ${error.message}\n\nUsage: ${command.usage}\n`)
      return EXIT.usage
    }
    if (error instanceof UserError) {
      process.stderr.write(`helpdesk ${name}: ${error.message}\n`)
      return EXIT.failure
    }
    process.stderr.write(`helpdesk ${name}: ${(error as Error).stack ?? String(error)}\n`)
    return EXIT.failure
  }
}

process.exit(await main(process.argv.slice(2)))

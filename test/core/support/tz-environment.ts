import { TestEnvironment } from 'jest-environment-node'
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment'

/**
 * Jest gives each test file a copy of process.env, so `process.env.TZ = ...`
 * inside a test never reaches the real process and the zone stays put. This
 * environment links the sandbox's TZ to the worker's real one (Node resets
 * its zone cache when TZ is assigned) and restores it after the file.
 */
export default class TimeZoneEnvironment extends TestEnvironment {
  private readonly originalTz: string | undefined

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context)
    this.originalTz = process.env.TZ
    const sandboxEnv = (this.global.process as NodeJS.Process).env
    Object.defineProperty(sandboxEnv, 'TZ', {
      configurable: true,
      enumerable: true,
      get: () => process.env.TZ,
      set: (value: string | undefined) => {
        if (value === undefined) delete process.env.TZ
        else process.env.TZ = value
      }
    })
  }

  async teardown(): Promise<void> {
    if (this.originalTz === undefined) delete process.env.TZ
    else process.env.TZ = this.originalTz
    await super.teardown()
  }
}

import { removeDir, startServer } from '../helpers/server-process'

jest.setTimeout(60_000)

async function post(url: string, fn: string, body: unknown, token?: string) {
  const res = await fetch(`${url}api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  })
  return { status: res.status, body: await res.json() }
}

describe('the local runtime as a process', () => {
  it('keeps acknowledged writes and sessions across a SIGKILL and restart', async () => {
    const first = await startServer()
    const dataDir = first.dataDir
    try {
      expect(first.output()).toContain('已写入演示数据')
      const login = await post(first.url, 'auth', { action: 'devLogin', memberId: 'm_br_1_03' })
      expect(login.status).toBe(200)
      const token: string = login.body.data.token
      // The seed was acknowledged (printed) before the URL; kill without any chance to flush.
      await first.stop('SIGKILL')

      const second = await startServer({}, dataDir)
      try {
        // Seeded once and kept: the restart finds it and does not seed again.
        expect(second.output()).not.toContain('已写入演示数据')
        // The token signed before the kill still verifies (the secret lives in the data folder).
        const who = await post(second.url, 'auth', { action: 'whoami' }, token)
        expect(who.status).toBe(200)
        expect(who.body.data.me.member._id).toBe('m_br_1_03')
        const roster = await post(second.url, 'org', { action: 'members', branchId: 'br_1' }, token)
        expect(roster.body.data.members).toHaveLength(5)
      } finally {
        await second.stop()
      }
    } finally {
      await first.stop()
      removeDir(dataDir)
    }
  })

  it('refuses dev login in production mode', async () => {
    const prod = await startServer({ ZBDK_PRODUCTION: '1' })
    try {
      const r = await post(prod.url, 'auth', { action: 'devLogin', memberId: 'm_br_1_03' })
      expect(r.status).toBe(501)
      expect(r.body.error.code).toBe('NOT_AVAILABLE')
      // Production never seeds demo data.
      expect(prod.output()).not.toContain('已写入演示数据')
    } finally {
      await prod.stop()
      removeDir(prod.dataDir)
    }
  })
})

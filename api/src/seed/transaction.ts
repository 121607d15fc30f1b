import type pg from 'pg'

/**
 * Runs `work` in one transaction on a pooled connection. A connection that failed
 * mid-transaction is not given back for reuse.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  let failed = false
  try {
    await client.query('begin')
    const result = await work(client)
    await client.query('commit')
    return result
  } catch (error) {
    failed = true
    await client.query('rollback').catch(() => {})
    throw error
  } finally {
    client.release(failed)
  }
}

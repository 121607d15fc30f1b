// The backup side of a release on the node: a keyring Secret, and a bucket on the release's
// own MinIO reached from the host through its Service (credentials from the chart's Secret).
import { randomBytes } from 'node:crypto'
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { eventually, kubectl, serviceIp } from './cluster.ts'

export async function createKeyring(namespace: string, name: string): Promise<void> {
  const keyId = new Date().toISOString().slice(0, 10)
  await kubectl([
    'create',
    'secret',
    'generic',
    name,
    `--namespace=${namespace}`,
    `--from-literal=${keyId}=${randomBytes(32).toString('base64')}`,
  ])
}

async function secretValue(namespace: string, secret: string, key: string): Promise<string> {
  const value = await kubectl([
    'get',
    'secret',
    secret,
    `--namespace=${namespace}`,
    `--output=jsonpath={.data.${key}}`,
  ])
  return Buffer.from(value, 'base64').toString()
}

/** An S3 client for the release's MinIO, as its root user (from the chart's generated Secret). */
export async function minioClient(namespace: string, release: string): Promise<S3Client> {
  const secret = `${release}-minio-auth`
  return new S3Client({
    endpoint: `http://${await serviceIp(namespace, `${release}-minio`)}:9000`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: await secretValue(namespace, secret, 'AWS_ACCESS_KEY_ID'),
      secretAccessKey: await secretValue(namespace, secret, 'AWS_SECRET_ACCESS_KEY'),
    },
  })
}

/**
 * Tried until MinIO takes the connection: in one CI run its Ready pod refused the host's
 * first connection right after the Helpdesk became Ready (the cause is not known yet; the
 * backup Jobs themselves retry, this bucket is the test's own setup).
 */
export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  await eventually(`the bucket ${bucket} on the release's MinIO`, async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }))
    return true
  })
}

export async function objectKeys(client: S3Client, bucket: string): Promise<string[]> {
  const answer = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
  return (answer.Contents ?? []).map((object) => object.Key ?? '')
}

// The node's network: a bridge no other interface is attached to, holding the node's IP and
// every pod's veth. Pods talk to each other, to the node and to Services; a filter of our own
// drops anything routed from the bridge to another interface, so nothing a pod sends can leave
// the machine. Forwarding is switched on for the bridge alone (the host's global setting and
// every other interface stay as they are).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { run } from './command.ts'
import { BRIDGE, NFT_TABLE, NODE_IP, POD_CIDR, paths, SERVICE_CIDR } from './layout.ts'

const DROP_OFF_BRIDGE = `
table ip ${NFT_TABLE} {
  chain forward {
    type filter hook forward priority mangle; policy accept;
    iifname "${BRIDGE}" oifname != "${BRIDGE}" counter drop
  }
}
`

export async function createNetwork(): Promise<void> {
  const prefix = POD_CIDR.split('/')[1]
  await run('ip', ['link', 'add', BRIDGE, 'type', 'bridge'])
  await run('ip', ['addr', 'add', `${NODE_IP}/${prefix}`, 'dev', BRIDGE])
  await run('ip', ['link', 'set', BRIDGE, 'up'])
  writeFileSync(`/proc/sys/net/ipv4/conf/${BRIDGE}/forwarding`, '1')
  // The host reaches ClusterIPs through the bridge (kube-proxy rewrites them to pod addresses);
  // without endpoints a packet ends there instead of following the default route off the host.
  await run('ip', ['route', 'add', SERVICE_CIDR, 'dev', BRIDGE, 'src', NODE_IP])
  await run('nft', ['-f', '-'], { input: DROP_OFF_BRIDGE })
  writeCniConfig()
}

/** The CNI configuration containerd reads: the bridge plugin on our bridge, host-local IPAM. */
function writeCniConfig(): void {
  mkdirSync(paths.cniConfig, { recursive: true })
  const [network, prefix] = POD_CIDR.split('/') as [string, string]
  const firstPodAddress = network.replace(/\d+$/, '2')
  const config = {
    cniVersion: '1.0.0',
    name: 'helpdesk',
    plugins: [
      {
        type: 'bridge',
        bridge: BRIDGE,
        // As a gateway the plugin would switch on forwarding for the whole host.
        isGateway: false,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [
            [{ subnet: `${network}/${prefix}`, rangeStart: firstPodAddress, gateway: NODE_IP }],
          ],
          routes: [{ dst: '0.0.0.0/0', gw: NODE_IP }],
          dataDir: paths.cniState,
        },
      },
    ],
  }
  writeFileSync(path.join(paths.cniConfig, '10-helpdesk.conflist'), JSON.stringify(config, null, 2))
}

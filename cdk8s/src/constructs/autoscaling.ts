// The HPA and PDB that api and web share.
import { ApiObject } from 'cdk8s'
import { Construct } from 'constructs'

export interface AutoscalingTarget {
  /** Utilisation of the CPU request, percent. */
  readonly cpuUtilization: number
  /** Utilisation of the memory request, percent. */
  readonly memoryUtilization: number
  /** How long load must stay low before a replica is removed. */
  readonly scaleDownStabilizationSeconds: number
}

export interface DisruptionBudget {
  readonly enabled: boolean
  /** A count or a percentage such as 25%. */
  readonly maxUnavailable: number | string
}

export interface ScaledDeploymentProps {
  readonly name: string
  readonly labels: Record<string, string>
  readonly selector: Record<string, string>
  readonly replicas: { readonly min: number; readonly max: number }
  /** @default - no HorizontalPodAutoscaler */
  readonly autoscaling?: AutoscalingTarget
  /** @default - enabled, maxUnavailable 1 */
  readonly disruptionBudget?: DisruptionBudget
}

/**
 * A HorizontalPodAutoscaler on CPU and memory (when autoscaling is set) and a
 * PodDisruptionBudget that lets a drain take one pod at a time.
 */
export class ScaledDeploymentPolicies extends Construct {
  constructor(scope: Construct, id: string, props: ScaledDeploymentProps) {
    super(scope, id)
    const metadata = { name: props.name, labels: props.labels }
    if (props.autoscaling) {
      new ApiObject(this, 'hpa', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
          minReplicas: props.replicas.min,
          maxReplicas: props.replicas.max,
          metrics: [
            utilisation('cpu', props.autoscaling.cpuUtilization),
            utilisation('memory', props.autoscaling.memoryUtilization),
          ],
          behavior: {
            // Scale in one pod a minute, once the window has seen no higher recommendation.
            scaleDown: {
              stabilizationWindowSeconds: props.autoscaling.scaleDownStabilizationSeconds,
              policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
            },
          },
        },
      })
    }
    const budget = props.disruptionBudget ?? { enabled: true, maxUnavailable: 1 }
    if (!budget.enabled) return
    new ApiObject(this, 'pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: {
        // maxUnavailable (not minAvailable) never blocks a node drain, even at one replica.
        maxUnavailable: budget.maxUnavailable,
        selector: { matchLabels: props.selector },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    })
  }
}

function utilisation(resource: 'cpu' | 'memory', averageUtilization: number) {
  return {
    type: 'Resource',
    resource: { name: resource, target: { type: 'Utilization', averageUtilization } },
  }
}

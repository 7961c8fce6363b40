/**
 * The fields of the Kubernetes objects a Deployment and a Service of one web app use (API v1.33),
 * with the type of the ones whose fields are checked in turn: enough to catch a misspelt or
 * misplaced field (`readinessprobe`, `resources` under the pod), which `kubectl apply` would
 * reject or, worse, silently drop. Objects not described here (affinity, volume sources...) are
 * not looked into.
 */
type Fields = Readonly<Record<string, string | null>>;

const OBJECTS: Readonly<Record<string, Fields>> = {
  Deployment: { apiVersion: null, kind: null, metadata: 'ObjectMeta', spec: 'DeploymentSpec', status: null },
  Service: { apiVersion: null, kind: null, metadata: 'ObjectMeta', spec: 'ServiceSpec', status: null },
  ObjectMeta: {
    name: null,
    namespace: null,
    labels: null,
    annotations: null,
    generateName: null,
    finalizers: null,
    ownerReferences: null,
    uid: null,
    resourceVersion: null,
    generation: null,
    creationTimestamp: null,
    deletionTimestamp: null,
    deletionGracePeriodSeconds: null,
    managedFields: null,
    selfLink: null,
  },
  DeploymentSpec: {
    replicas: null,
    selector: 'LabelSelector',
    template: 'PodTemplateSpec',
    strategy: 'DeploymentStrategy',
    minReadySeconds: null,
    revisionHistoryLimit: null,
    progressDeadlineSeconds: null,
    paused: null,
  },
  LabelSelector: { matchLabels: null, matchExpressions: null },
  DeploymentStrategy: { type: null, rollingUpdate: 'RollingUpdateDeployment' },
  RollingUpdateDeployment: { maxSurge: null, maxUnavailable: null },
  PodTemplateSpec: { metadata: 'ObjectMeta', spec: 'PodSpec' },
  PodSpec: {
    containers: 'Container[]',
    initContainers: 'Container[]',
    ephemeralContainers: null,
    securityContext: 'PodSecurityContext',
    terminationGracePeriodSeconds: null,
    activeDeadlineSeconds: null,
    volumes: 'Volume[]',
    serviceAccountName: null,
    serviceAccount: null,
    automountServiceAccountToken: null,
    nodeSelector: null,
    nodeName: null,
    affinity: null,
    tolerations: null,
    topologySpreadConstraints: null,
    imagePullSecrets: null,
    restartPolicy: null,
    dnsPolicy: null,
    dnsConfig: null,
    priorityClassName: null,
    priority: null,
    preemptionPolicy: null,
    enableServiceLinks: null,
    hostname: null,
    subdomain: null,
    hostAliases: null,
    schedulerName: null,
    runtimeClassName: null,
    shareProcessNamespace: null,
    hostNetwork: null,
    hostPID: null,
    hostIPC: null,
    hostUsers: null,
    readinessGates: null,
    overhead: null,
    os: null,
    resourceClaims: null,
    schedulingGates: null,
    setHostnameAsFQDN: null,
    resources: null,
  },
  Container: {
    name: null,
    image: null,
    imagePullPolicy: null,
    command: null,
    args: null,
    workingDir: null,
    ports: 'ContainerPort[]',
    env: 'EnvVar[]',
    envFrom: null,
    resources: 'ResourceRequirements',
    resizePolicy: null,
    restartPolicy: null,
    volumeMounts: 'VolumeMount[]',
    volumeDevices: null,
    livenessProbe: 'Probe',
    readinessProbe: 'Probe',
    startupProbe: 'Probe',
    lifecycle: null,
    securityContext: 'SecurityContext',
    terminationMessagePath: null,
    terminationMessagePolicy: null,
    stdin: null,
    stdinOnce: null,
    tty: null,
  },
  ContainerPort: { name: null, containerPort: null, protocol: null, hostPort: null, hostIP: null },
  EnvVar: { name: null, value: null, valueFrom: null },
  ResourceRequirements: { limits: null, requests: null, claims: null },
  VolumeMount: { name: null, mountPath: null, readOnly: null, subPath: null, subPathExpr: null, mountPropagation: null, recursiveReadOnly: null },
  Volume: {
    name: null,
    emptyDir: null,
    persistentVolumeClaim: null,
    configMap: null,
    secret: null,
    projected: null,
    downwardAPI: null,
    hostPath: null,
    ephemeral: null,
    csi: null,
    image: null,
    nfs: null,
  },
  Probe: {
    httpGet: 'HTTPGetAction',
    tcpSocket: null,
    exec: null,
    grpc: null,
    initialDelaySeconds: null,
    periodSeconds: null,
    timeoutSeconds: null,
    successThreshold: null,
    failureThreshold: null,
    terminationGracePeriodSeconds: null,
  },
  HTTPGetAction: { path: null, port: null, host: null, scheme: null, httpHeaders: null },
  SecurityContext: {
    allowPrivilegeEscalation: null,
    capabilities: 'Capabilities',
    privileged: null,
    readOnlyRootFilesystem: null,
    runAsGroup: null,
    runAsNonRoot: null,
    runAsUser: null,
    seccompProfile: null,
    seLinuxOptions: null,
    procMount: null,
    windowsOptions: null,
    appArmorProfile: null,
  },
  Capabilities: { add: null, drop: null },
  PodSecurityContext: {
    fsGroup: null,
    fsGroupChangePolicy: null,
    runAsGroup: null,
    runAsNonRoot: null,
    runAsUser: null,
    seccompProfile: null,
    seLinuxOptions: null,
    seLinuxChangePolicy: null,
    supplementalGroups: null,
    supplementalGroupsPolicy: null,
    sysctls: null,
    windowsOptions: null,
    appArmorProfile: null,
  },
  ServiceSpec: {
    selector: null,
    ports: 'ServicePort[]',
    type: null,
    clusterIP: null,
    clusterIPs: null,
    externalIPs: null,
    externalName: null,
    externalTrafficPolicy: null,
    internalTrafficPolicy: null,
    healthCheckNodePort: null,
    ipFamilies: null,
    ipFamilyPolicy: null,
    loadBalancerClass: null,
    loadBalancerIP: null,
    loadBalancerSourceRanges: null,
    allocateLoadBalancerNodePorts: null,
    publishNotReadyAddresses: null,
    sessionAffinity: null,
    sessionAffinityConfig: null,
    trafficDistribution: null,
  },
  ServicePort: { name: null, port: null, targetPort: null, protocol: null, nodePort: null, appProtocol: null },
};

/** A field the object type does not have: where it is, and the field meant when one is close. */
export interface UnknownField {
  readonly path: readonly (string | number)[];
  readonly field: string;
  readonly type: string;
  readonly suggestion?: string;
}

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
};

/** The field meant: same letters in another case, or at most two edits away; or a field of the parent. */
const suggest = (field: string, fields: Fields): string | undefined => {
  const names = Object.keys(fields);
  const sameCase = names.find((n) => n.toLowerCase() === field.toLowerCase());
  if (sameCase) return sameCase;
  const near = names.map((n) => [n, distance(n.toLowerCase(), field.toLowerCase())] as const).sort((x, y) => x[1] - y[1])[0];
  return near && near[1] <= 2 ? near[0] : undefined;
};

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every field under `value` that its type (Deployment, Service...) does not have. */
export const unknownFields = (value: unknown, type: string, path: readonly (string | number)[] = []): UnknownField[] => {
  const fields = OBJECTS[type];
  if (!fields || !isMap(value)) return [];
  const found: UnknownField[] = [];
  for (const [field, child] of Object.entries(value)) {
    if (!(field in fields)) {
      const suggestion = suggest(field, fields);
      found.push({ path: [...path, field], field, type, ...(suggestion ? { suggestion } : {}) });
      continue;
    }
    const childType = fields[field];
    if (!childType) continue;
    if (childType.endsWith('[]')) {
      if (Array.isArray(child)) child.forEach((item, i) => found.push(...unknownFields(item, childType.slice(0, -2), [...path, field, i])));
    } else found.push(...unknownFields(child, childType, [...path, field]));
  }
  return found;
};

"""JSON schemas of the custom resources k8s/ uses, written from their published CRDs.

kubernetes-validate knows only built-in kinds. These schemas list every top-level `spec`
field of each published CRD version (so an unknown or misspelt field fails, as the API
server's structural-schema pruning would drop it silently), and spell out in full the
fields k8s/ sets, with the published types, enums and bounds:

  keda.sh/v1alpha1 ScaledObject, TriggerAuthentication    KEDA 2.17 (keda.sh_scaledobjects.yaml,
                                                         keda.sh_triggerauthentications.yaml;
                                                         rabbitmq scaler parameters from the
                                                         2.17 scaler documentation)
  postgresql.cnpg.io/v1 Cluster                          CloudNativePG 1.26 (API reference, ClusterSpec)
  rabbitmq.com/v1beta1 RabbitmqCluster                   RabbitMQ Cluster Operator 2.x
                                                         (api/v1beta1/rabbitmqcluster_types.go)

A field a published CRD has but k8s/ does not use is accepted with any value (ANY); to use
one, spell its schema out here first.
"""

ANY: dict = {}
STRING = {"type": "string"}
BOOL = {"type": "boolean"}
INT32 = {"type": "integer", "minimum": -2147483648, "maximum": 2147483647}
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
QUANTITY = {
    "anyOf": [
        {"type": "integer"},
        {"type": "string", "pattern": r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"},
    ]
}


def obj(properties: dict, required: tuple = ()) -> dict:
    """An object with exactly these fields (any other is an error)."""
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


def known(names: str, **spelled: dict) -> dict:
    """Properties for every published field `names` (space separated): ANY unless spelled out."""
    props = {name: ANY for name in names.split()}
    unknown = set(spelled) - set(props)
    assert not unknown, f"spelled-out fields {unknown} are not in the published list"
    props.update(spelled)
    return props


RESOURCES = obj({"limits": {"type": "object", "additionalProperties": QUANTITY},
                 "requests": {"type": "object", "additionalProperties": QUANTITY},
                 "claims": ANY})
META = {"type": "object", "required": ["name"], "properties": {"name": STRING, "namespace": STRING}}

# --- KEDA 2.17 ------------------------------------------------------------------------------
HPA_SCALING_RULES = obj({
    "policies": {"type": "array", "items": obj({
        "type": {"enum": ["Pods", "Percent"]},
        "value": {"type": "integer", "minimum": 1},
        "periodSeconds": {"type": "integer", "minimum": 1, "maximum": 1800},
    }, required=("type", "value", "periodSeconds"))},
    "selectPolicy": {"enum": ["Max", "Min", "Disabled"]},
    "stabilizationWindowSeconds": {"type": "integer", "minimum": 0, "maximum": 3600},
    "tolerance": ANY,
})

SCALED_OBJECT_SPEC = obj(known(
    "advanced cooldownPeriod fallback idleReplicaCount initialCooldownPeriod maxReplicaCount "
    "minReplicaCount pollingInterval scaleTargetRef triggers",
    advanced=obj(known(
        "horizontalPodAutoscalerConfig restoreToOriginalReplicaCount scalingModifiers",
        horizontalPodAutoscalerConfig=obj({
            "behavior": obj({"scaleUp": HPA_SCALING_RULES, "scaleDown": HPA_SCALING_RULES}),
            "name": STRING,
        }),
        restoreToOriginalReplicaCount=BOOL,
    )),
    cooldownPeriod={"type": "integer", "minimum": 0},
    initialCooldownPeriod={"type": "integer", "minimum": 0},
    idleReplicaCount={"type": "integer", "minimum": 0},
    minReplicaCount={"type": "integer", "minimum": 0},
    maxReplicaCount={"type": "integer", "minimum": 1},
    pollingInterval={"type": "integer", "minimum": 1},
    scaleTargetRef=obj({"apiVersion": STRING, "kind": STRING, "name": STRING, "envSourceContainerName": STRING},
                       required=("name",)),
    triggers={"type": "array", "minItems": 1, "items": obj({
        "type": STRING,
        "name": STRING,
        "metadata": STRING_MAP,
        "metricType": {"enum": ["AverageValue", "Value", "Utilization"]},
        "useCachedMetrics": BOOL,
        "authenticationRef": obj({"name": STRING, "kind": {"enum": ["TriggerAuthentication", "ClusterTriggerAuthentication"]}},
                                 required=("name",)),
    }, required=("type", "metadata"))},
), required=("scaleTargetRef", "triggers"))

TRIGGER_AUTHENTICATION_SPEC = obj(known(
    "awsSecretManager azureAppConfiguration azureKeyVault boundServiceAccountToken configMapTargetRef env "
    "gcpSecretManager hashiCorpVault podIdentity secretTargetRef",
    secretTargetRef={"type": "array", "items": obj({"parameter": STRING, "name": STRING, "key": STRING},
                                                    required=("parameter", "name", "key"))},
))

# The rabbitmq scaler (KEDA 2.17 docs, "Parameter list" and "Authentication Parameters").
RABBITMQ_TRIGGER_METADATA = {
    "host", "protocol", "mode", "value", "activationValue", "queueName", "vhostName", "hostFromEnv",
    "usernameFromEnv", "passwordFromEnv", "unsafeSsl", "useRegex", "pageSize", "operation", "timeout",
    "excludeUnacknowledged", "queueLength",
}
RABBITMQ_AUTH_PARAMETERS = {"host", "username", "password", "vhostName", "tls", "ca", "cert", "key",
                            "keyPassword", "workloadIdentityResource"}

# --- CloudNativePG 1.26 ---------------------------------------------------------------------
INITDB = obj(known(
    "builtinLocale dataChecksums database encoding icuLocale icuRules import locale localeCType "
    "localeCollate localeProvider options owner postInitApplicationSQL postInitApplicationSQLRefs "
    "postInitSQL postInitSQLRefs postInitTemplateSQL postInitTemplateSQLRefs secret walSegmentSize",
    database=STRING,
    owner=STRING,
    postInitApplicationSQL={"type": "array", "items": STRING},
    postInitSQL={"type": "array", "items": STRING},
))
ROLE = obj(known(
    "bypassrls comment connectionLimit createdb createrole disablePassword ensure inRoles inherit login "
    "name passwordSecret replication superuser validUntil",
    name=STRING,
    ensure={"enum": ["present", "absent"]},
    login=BOOL,
    passwordSecret=obj({"name": STRING}, required=("name",)),
), required=("name",))
CNPG_CLUSTER_SPEC = obj(known(
    "affinity backup bootstrap certificates description enablePDB enableSuperuserAccess env envFrom "
    "ephemeralVolumeSource ephemeralVolumesSizeLimit externalClusters failoverDelay imageCatalogRef "
    "imageName imagePullPolicy imagePullSecrets inheritedMetadata instances livenessProbeTimeout logLevel "
    "managed maxSyncReplicas minSyncReplicas monitoring nodeMaintenanceWindow plugins podSecurityContext "
    "postgresGID postgresUID postgresql primaryUpdateMethod primaryUpdateStrategy priorityClassName probes "
    "projectedVolumeTemplate replica replicationSlots resources schedulerName seccompProfile securityContext "
    "serviceAccountTemplate smartShutdownTimeout startDelay stopDelay storage superuserSecret "
    "switchoverDelay tablespaces topologySpreadConstraints walStorage",
    instances={"type": "integer", "minimum": 1},
    imageName=STRING,
    primaryUpdateStrategy={"enum": ["supervised", "unsupervised"]},
    enableSuperuserAccess=BOOL,
    inheritedMetadata=obj({"labels": STRING_MAP, "annotations": STRING_MAP}),
    postgresql=obj(known(
        "enableAlterSystem epas extensions ldap parameters pg_hba pg_ident promotionTimeout "
        "shared_preload_libraries syncReplicaElectionConstraint synchronous",
        # CNPG takes every parameter as a string: an unquoted number is refused.
        parameters=STRING_MAP,
    )),
    bootstrap=obj(known("initdb pg_basebackup recovery", initdb=INITDB)),
    managed=obj(known("roles services", roles={"type": "array", "items": ROLE})),
    storage=obj(known("pvcTemplate resizeInUseVolumes size storageClass", size=QUANTITY, storageClass=STRING)),
    resources=RESOURCES,
    affinity=obj(known(
        "additionalPodAffinity additionalPodAntiAffinity enablePodAntiAffinity nodeAffinity nodeSelector "
        "podAntiAffinityType tolerations topologyKey",
        enablePodAntiAffinity=BOOL,
        topologyKey=STRING,
    )),
), required=("instances",))

# --- RabbitMQ Cluster Operator 2.x ----------------------------------------------------------
RABBITMQ_CLUSTER_SPEC = obj(known(
    "affinity autoEnableAllFeatureFlags delayStartSeconds image imagePullSecrets override persistence "
    "rabbitmq replicas resources secretBackend service skipPostDeploySteps terminationGracePeriodSeconds "
    "tls tolerations",
    replicas={"type": "integer", "minimum": 0},
    image=STRING,
    persistence=obj({"storage": QUANTITY, "storageClassName": STRING}),
    resources=RESOURCES,
    rabbitmq=obj(known(
        "additionalConfig additionalPlugins advancedConfig envConfig erlangInetConfig",
        additionalConfig={"type": "string", "maxLength": 2000},
        additionalPlugins={"type": "array", "maxItems": 100, "items": {"type": "string", "pattern": r"^\w+$", "maxLength": 100}},
    )),
    override=obj(known(
        "service statefulSet",
        statefulSet=obj({
            "metadata": obj({"labels": STRING_MAP, "annotations": STRING_MAP}),
            "spec": obj(known(
                "minReadySeconds persistentVolumeClaimRetentionPolicy podManagementPolicy replicas selector "
                "serviceName template updateStrategy volumeClaimTemplates",
                template=obj({
                    "metadata": obj({"name": STRING, "namespace": STRING, "labels": STRING_MAP, "annotations": STRING_MAP}),
                    "spec": ANY,
                }),
            )),
        }),
    )),
))


def custom_resource(spec: dict, spec_required: bool = True) -> dict:
    schema = {
        "type": "object",
        "properties": {"apiVersion": STRING, "kind": STRING, "metadata": META, "spec": spec},
        "additionalProperties": False,
        "required": ["apiVersion", "kind", "metadata"] + (["spec"] if spec_required else []),
    }
    return schema


SCHEMAS = {
    ("keda.sh/v1alpha1", "ScaledObject"): ("KEDA 2.17", custom_resource(SCALED_OBJECT_SPEC)),
    ("keda.sh/v1alpha1", "TriggerAuthentication"): ("KEDA 2.17", custom_resource(TRIGGER_AUTHENTICATION_SPEC)),
    ("postgresql.cnpg.io/v1", "Cluster"): ("CloudNativePG 1.26", custom_resource(CNPG_CLUSTER_SPEC)),
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): ("RabbitMQ Cluster Operator 2.x", custom_resource(RABBITMQ_CLUSTER_SPEC)),
}

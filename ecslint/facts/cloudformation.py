"""How CloudFormation and Terraform spell task-definition fields (ecs-facts.md §1, §6.1, §6.2).

The API names come from the ECS API model (botocore 1.44.8, every member reachable
from ``RegisterTaskDefinitionRequest``); ``tests/test_cloudformation.py`` checks this
list against the model when botocore is installed, so it cannot drift silently.
"""

from __future__ import annotations


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Every field name of the register-task-definition input, at any depth (§1).
API_FIELDS = _names(
    """
    accessPointArn accessPointId add appProtocol attestationPolicy authorizationConfig
    autoprovision capabilities command condition configuredAtLaunch containerDefinitions
    containerName containerPath containerPort containerPortRange cpu cpuArchitecture
    credentialSpecs credentialsParameter dependsOn deviceName deviceType devices
    disableNetworking dnsSearchDomains dnsServers dockerLabels dockerSecurityOptions
    dockerVolumeConfiguration domain driver driverOpts drop efsVolumeConfiguration
    enableFaultInjection enabled entryPoint environment environmentFiles ephemeralStorage
    essential executionRoleArn expression extraHosts family fileSystemArn fileSystemId
    firelensConfiguration fsxWindowsFileServerVolumeConfiguration hardLimit healthCheck host
    hostPath hostPort hostname iam ignoredExitCodes image inferenceAccelerators
    initProcessEnabled interactive interval ipAddress ipcMode isolationMode key labels links
    linuxParameters logConfiguration logDriver maxComputePercent maxSwap memory
    memoryReservation mountOptions mountPoints name namespace networkMode nvidiaMps
    operatingSystemFamily options permissions pidMode placementConstraints portMappings
    privileged properties protocol proxyConfiguration pseudoTerminal readOnly
    readonlyRootFilesystem repositoryCredentials requiresCompatibilities resourceRequirements
    restartAttemptPeriod restartPolicy retries rootDirectory runtimePlatform
    s3filesVolumeConfiguration scope secretOptions secrets sharedMemorySize sharingStrategy
    size sizeInGiB softLimit sourceContainer sourcePath sourceVolume startPeriod startTimeout
    stopTimeout swappiness systemControls tags taskRoleArn timeout tmpfs transitEncryption
    transitEncryptionPort trustedExecutionConfiguration type ulimits user value valueFrom
    versionConsistency volumes volumesFrom workingDirectory
    """
)

#: The top-level fields of the register-task-definition input other than the containers.
TASK_FIELDS = _names(
    """
    family taskRoleArn executionRoleArn networkMode volumes placementConstraints
    requiresCompatibilities cpu memory tags pidMode ipcMode proxyConfiguration
    inferenceAccelerators ephemeralStorage runtimePlatform enableFaultInjection
    """
)

#: Integer fields (§1). Task-level ``cpu``/``memory`` are strings; in a container, integers.
INTEGER_FIELDS = _names(
    """
    containerPort hardLimit hostPort interval maxComputePercent maxSwap memoryReservation
    restartAttemptPeriod retries sharedMemorySize size sizeInGiB softLimit startPeriod
    startTimeout stopTimeout swappiness timeout transitEncryptionPort
    """
)
#: Integer in a container definition, string at the task level.
CPU_MEMORY = frozenset({"cpu", "memory"})

BOOLEAN_FIELDS = _names(
    """
    autoprovision configuredAtLaunch disableNetworking enableFaultInjection enabled essential
    initProcessEnabled interactive privileged pseudoTerminal readOnly readonlyRootFilesystem
    """
)

#: Maps whose keys the user chooses (§6.1: objects with ``patternProperties``); copied as is.
USER_MAPS = frozenset({"dockerLabels", "driverOpts", "labels", "options"})

#: CloudFormation spellings that are not the mechanical PascalCase of the API name (§6.1).
CFN_QUIRKS = {
    "EFSVolumeConfiguration": "efsVolumeConfiguration",
    "FilesystemId": "fileSystemId",
    "IAM": "iam",
    "FSxWindowsFileServerVolumeConfiguration": "fsxWindowsFileServerVolumeConfiguration",
    "S3FilesVolumeConfiguration": "s3filesVolumeConfiguration",
    "ProxyConfigurationProperties": "properties",
}
#: API names whose CloudFormation spelling is a quirk; the reverse of CFN_QUIRKS.
API_TO_CFN_QUIRKS = {
    "efsVolumeConfiguration": "EFSVolumeConfiguration",
    "iam": "IAM",
    "fsxWindowsFileServerVolumeConfiguration": "FSxWindowsFileServerVolumeConfiguration",
    "s3filesVolumeConfiguration": "S3FilesVolumeConfiguration",
}
#: Quirks that only hold under one parent: (CFN parent, API name) -> CFN name.
API_TO_CFN_IN = {
    ("EFSVolumeConfiguration", "fileSystemId"): "FilesystemId",
    ("ProxyConfiguration", "properties"): "ProxyConfigurationProperties",
}

#: CloudFormation pseudo parameters: known only at deploy time.
PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::NoValue",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)

#: The short-form YAML tags CloudFormation defines; ``!Name`` means ``{"Fn::Name": ...}``
#: except for the two below that have no ``Fn::`` prefix.
CFN_TAGS = _names(
    """
    Base64 Cidr Condition Equals FindInMap GetAtt GetAZs ImportValue If Join Not And Or Ref
    Select Split Sub Transform Length ToJsonString ForEach
    """
)
CFN_TAGS_WITHOUT_PREFIX = frozenset({"Ref", "Condition"})

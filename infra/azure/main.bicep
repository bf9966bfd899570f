// The S3 gateway on Azure Functions Flex Consumption (docs/DEPLOY-AZURE.md).
//
// single:   one function app serving every function.
// perGroup: one function app per operation group, each with the other groups' functions disabled, and an Azure
//           Front Door Standard profile that sends each request to the app of its group. All apps run the same
//           package; Flex Consumption scales all HTTP functions of an app together, so separate apps are what lets
//           reads, writes, uploads and bucket operations scale (and be limited) independently.

targetScope = 'resourceGroup'

@description('single: one app with every function; perGroup: one app per operation group behind Azure Front Door.')
@allowed([
  'single'
  'perGroup'
])
param deploymentMode string = 'single'

@description('Base of the resource names: lower case letters and digits.')
@minLength(2)
@maxLength(12)
param namePrefix string = 'pachs3'

@description('Azure region of the function apps, storage and monitoring (Flex Consumption must be offered there).')
param location string = resourceGroup().location

@description('Tags for every resource.')
param tags resourceTags = {}

@description('pachd\'s gRPC address: a plain value (grpc://host:port) or a Key Vault secret that holds it.')
param pachdAddress pachdAddressSetting

@description('FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: the largest request body the Functions host accepts, in bytes (a bigger PUT or part fails at the host). Default 1073741824 = 1 GiB: room for the 100 MiB-and-up single PUTs of S3 clients in aws-chunked framing; the host\'s own default is 104857600 = 100 MiB.')
@minValue(1048576)
param requestBodySizeLimit int = 1073741824

@description('GATEWAY_REGION: the region GetBucketLocation reports; empty leaves it unset (us-east-1).')
param gatewayRegion string = ''

@description('Largest number of instances each app scales out to (Flex Consumption: 1-1000).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('HTTP requests one instance handles at once before Flex Consumption adds instances.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Create a Log Analytics workspace and Application Insights, and send the apps\' telemetry there.')
param enableApplicationInsights bool = true

@description('perGroup only: the custom domain S3 clients use (e.g. s3.example.com), bound to Front Door and to every app so that the Host header clients sign reaches the gateway. Empty: only the azurefd.net host name, on which signed requests fail (see docs/DEPLOY-AZURE.md).')
param customDomainName string = ''

@description('More app settings for every app (name -> value), e.g. workarounds the platform asks for.')
param extraAppSettings appSettingMap = {}

type resourceTags = {
  *: string
}

type appSettingMap = {
  *: string
}

@discriminator('source')
type pachdAddressSetting = pachdAddressValue | pachdAddressSecret

type pachdAddressValue = {
  @description('The address is given here.')
  source: 'value'
  @description('grpc://host:port, http://host:port or host:port.')
  @minLength(1)
  address: string
}

type pachdAddressSecret = {
  @description('The address is the value of a Key Vault secret (a @Microsoft.KeyVault reference, read with the apps\' identity).')
  source: 'keyVaultSecret'
  @description('The secret\'s URI, https://<vault>.vault.azure.net/secrets/<name>[/<version>]; without a version the newest is used.')
  @minLength(1)
  secretUri: string
  @description('Resource group of the vault when it is not this one; the deployment grants the apps\' identity Key Vault Secrets User on the secret.')
  vaultResourceGroup: string?
}

// ---- Operation groups --------------------------------------------------------------------------------------------
// The one table of which function belongs to which group. In perGroup mode each group is an app that disables the
// functions of every other group. tests/Gateway.Deployment.Tests checks that the table covers every function of the
// package exactly once.
var functionGroups = {
  buckets: [
    'Service'
    'Buckets'
    'OtherMethods'
  ]
  reads: [
    'ObjectReads'
  ]
  writes: [
    'ObjectWrites'
  ]
  uploads: [
    'Uploads'
  ]
}

// How Front Door finds a request's group (perGroup mode): reads and writes name a key (ObjectReads and ObjectWrites
// require one, so the Functions host gives /{bucket} and /{bucket}/ to Buckets); POSTs that name a bucket go to
// uploads (the bucket-level POST is DeleteObjects, which Uploads serves); the root (/, any method), bucket-level
// requests and OPTIONS/PATCH stay with the default group. Front Door's UrlPath condition sees the path without its
// leading slash ('' for /). tests/Gateway.Deployment.Tests checks these rules against the host's routing of the
// package's functions.
var objectPathRegex = '^[^/]+/.+$'
var bucketPathRegex = '^[^/]+(/.*)?$'
var frontDoorDefaultGroup = 'buckets'
var frontDoorRules = [
  {
    name: 'ToReads'
    group: 'reads'
    methods: [
      'GET'
      'HEAD'
    ]
    pathRegex: objectPathRegex
  }
  {
    name: 'ToWrites'
    group: 'writes'
    methods: [
      'PUT'
      'DELETE'
    ]
    pathRegex: objectPathRegex
  }
  {
    name: 'ToUploads'
    group: 'uploads'
    methods: [
      'POST'
    ]
    pathRegex: bucketPathRegex
  }
]

// The package targets net10.0: the newest .NET Flex Consumption runs ("10.0" is the catalogue's spelling).
var runtime = {
  name: 'dotnet-isolated'
  version: '10.0'
}

var suffix = take(uniqueString(resourceGroup().id, namePrefix), 8)
var appGroups = deploymentMode == 'single' ? [''] : map(items(functionGroups), group => group.key)

// ---- Identity, storage, monitoring -------------------------------------------------------------------------------
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${namePrefix}-${suffix}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: 'st${namePrefix}${suffix}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: storage
  name: 'default'
}

// Built-in roles: the host keeps its keys and leases in blobs (and writes diagnostics to tables); deployments go to
// the blob container of each app.
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in [
    storageBlobDataOwnerRoleId
    storageTableDataContributorRoleId
  ]: {
    name: guid(storage.id, identity.id, roleId)
    scope: storage
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = if (enableApplicationInsights) {
  name: 'log-${namePrefix}-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = if (enableApplicationInsights) {
  name: 'appi-${namePrefix}-${suffix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource appInsightsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (enableApplicationInsights) {
  name: guid(appInsights.id, identity.id, monitoringMetricsPublisherRoleId)
  scope: appInsights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      monitoringMetricsPublisherRoleId
    )
  }
}

// ---- pachd address -----------------------------------------------------------------------------------------------
var pachdFromKeyVault = pachdAddress.source == 'keyVaultSecret'
var pachdSecretUri = pachdAddress.?secretUri ?? ''
// https://<vault>.vault.azure.net/secrets/<name>[/<version>]
var pachdSecretUriParts = split(pachdSecretUri, '/')

module pachdSecretAccess 'modules/keyVaultSecretAccess.bicep' = if (pachdFromKeyVault) {
  name: 'pachd-secret-access'
  scope: resourceGroup(pachdAddress.?vaultResourceGroup ?? resourceGroup().name)
  params: {
    vaultName: pachdFromKeyVault ? split(pachdSecretUriParts[2], '.')[0] : ''
    secretName: pachdFromKeyVault ? pachdSecretUriParts[4] : ''
    principalId: identity.properties.principalId
    identityResourceId: identity.id
  }
}

// ---- App settings --------------------------------------------------------------------------------------------------
// No pachd token here: every S3 request carries its caller's Pachyderm token as its access key.
var gatewaySettings = {
  PACHD_ADDRESS: pachdFromKeyVault ? '@Microsoft.KeyVault(SecretUri=${pachdSecretUri})' : pachdAddress.?address ?? ''
  FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(requestBodySizeLimit)
}
var regionSettings = empty(gatewayRegion) ? {} : { GATEWAY_REGION: gatewayRegion }
var monitoringSettings = enableApplicationInsights
  ? {
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights!.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    }
  : {}
var commonSettings = union(gatewaySettings, regionSettings, monitoringSettings, extraAppSettings)

// ---- Function apps -------------------------------------------------------------------------------------------------
module apps 'modules/functionApp.bicep' = [
  for group in appGroups: {
    name: empty(group) ? 'app' : 'app-${group}'
    params: {
      name: empty(group) ? 'func-${namePrefix}-${suffix}' : 'func-${namePrefix}-${group}-${suffix}'
      location: location
      tags: union(tags, { 'gateway-group': empty(group) ? 'all' : group })
      storageAccountName: storage.name
      identityResourceId: identity.id
      appSettings: union(
        commonSettings,
        toObject(
          empty(group)
            ? []
            : flatten(map(filter(items(functionGroups), other => other.key != group), other => other.value)),
          function => 'AzureWebJobs.${function}.Disabled',
          function => 'true'
        )
      )
      maximumInstanceCount: maximumInstanceCount
      instanceMemoryMB: instanceMemoryMB
      httpPerInstanceConcurrency: httpPerInstanceConcurrency
      customDomainName: deploymentMode == 'perGroup' ? customDomainName : ''
      runtime: runtime
    }
    // The identity must hold its roles before the host starts and reads storage or the pachd secret.
    dependsOn: [
      blobService
      storageRoles
      appInsightsPublisher
      pachdSecretAccess
    ]
  }
]

// ---- Front Door (perGroup) -------------------------------------------------------------------------------------------
module frontDoor 'modules/frontDoor.bicep' = if (deploymentMode == 'perGroup') {
  name: 'front-door'
  params: {
    namePrefix: '${namePrefix}-${suffix}'
    tags: tags
    origins: [
      for (group, i) in appGroups: {
        group: group
        hostName: apps[i].outputs.defaultHostName
      }
    ]
    defaultGroup: frontDoorDefaultGroup
    rules: frontDoorRules
    customDomainName: customDomainName
  }
}

@description('The S3 endpoint: the app in single mode, Front Door (its custom domain when set) in perGroup mode.')
output endpoint string = deploymentMode == 'single'
  ? 'https://${apps[0].outputs.defaultHostName}'
  : 'https://${empty(customDomainName) ? frontDoor!.outputs.endpointHostName : customDomainName}'

@description('Names of the function apps; deploy the same package to each.')
output appNames string[] = [for (group, i) in appGroups: apps[i].outputs.name]

@description('Host name of the Front Door endpoint (CNAME target of a custom domain); empty in single mode.')
output frontDoorEndpointHostName string = deploymentMode == 'perGroup' ? frontDoor!.outputs.endpointHostName : ''

@description('Value of the TXT record asuid.<custom domain> that lets the apps accept the custom domain.')
output customDomainVerificationId string = apps[0].outputs.customDomainVerificationId

@description('Value of the TXT record _dnsauth.<custom domain> that validates it for Front Door\'s managed certificate.')
output customDomainValidationToken string = deploymentMode == 'perGroup'
  ? frontDoor!.outputs.customDomainValidationToken
  : ''

// One Flex Consumption function app with its own plan (a Flex plan holds one app) and its own deployment
// container in the shared storage account. Every app runs the same package; which functions it serves is decided
// by the AzureWebJobs.<name>.Disabled settings that main.bicep passes in appSettings.

@description('Name of the function app (globally unique: it becomes <name>.azurewebsites.net).')
param name string

@description('Azure region of the plan and the app.')
param location string

@description('Tags for every resource of this module.')
param tags resourceTags

@description('Name of the storage account (in this resource group) for AzureWebJobsStorage and the deployment container.')
param storageAccountName string

@description('Resource ID of the user-assigned identity the app runs as (storage, Key Vault references, Application Insights).')
param identityResourceId string

@description('App settings (name → value) besides the storage ones this module adds.')
param appSettings appSettingMap

@description('Largest number of instances the app scales out to.')
param maximumInstanceCount int

@description('Memory of each instance in MB.')
param instanceMemoryMB int

@description('HTTP requests one instance handles at a time before the platform adds instances.')
param httpPerInstanceConcurrency int

@description('A custom domain that reaches this app through Front Door (its Host header must be accepted); empty for none.')
param customDomainName string

@description('Runtime of the package: functionAppConfig.runtime.')
param runtime functionRuntime

type resourceTags = {
  *: string
}

type appSettingMap = {
  *: string
}

type functionRuntime = {
  name: 'dotnet-isolated'
  version: string
}

// Deployment container names: 3-63 characters, lower case letters, digits and hyphens.
var deploymentContainerName = 'app-package-${take(toLower(name), 40)}'

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' existing = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: last(split(identityResourceId, '/'))
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

// Host storage through the identity: no account keys anywhere (the account disallows shared keys).
var storageSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: map(items(union(appSettings, storageSettings)), setting => {
        name: setting.key
        value: setting.value
      })
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: runtime
    }
  }
}

// Front Door forwards the client's host (the custom domain) so that SigV4 signatures, which cover the Host header,
// verify at the gateway; App Service serves a host name only when it is bound to the app. Binding needs the DNS
// TXT record asuid.<domain> = customDomainVerificationId (see docs/DEPLOY-AZURE.md).
resource hostNameBinding 'Microsoft.Web/sites/hostNameBindings@2024-11-01' = if (!empty(customDomainName)) {
  parent: app
  name: empty(customDomainName) ? 'unused' : customDomainName
  properties: {
    siteName: app.name
    hostNameType: 'Verified'
    customHostNameDnsRecordType: 'CName'
    sslState: 'Disabled'
  }
}

@description('Name of the app.')
output name string = app.name

@description('The app\'s default host name (<name>.azurewebsites.net).')
output defaultHostName string = app.properties.defaultHostName

@description('Value for the asuid TXT record that lets App Service bind a custom domain (one per subscription).')
output customDomainVerificationId string = app.properties.customDomainVerificationId

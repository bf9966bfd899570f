// Lets an identity read one Key Vault secret (role Key Vault Secrets User on that secret only). Deployed into the
// vault's resource group, which may differ from the gateway's. The vault must use Azure RBAC for data access.

@description('Name of the Key Vault.')
param vaultName string

@description('Name of the secret.')
param secretName string

@description('Principal (object) ID of the identity that reads the secret.')
param principalId string

@description('Resource ID of that identity (known before deployment, so it names the role assignment).')
param identityResourceId string

// Built-in role "Key Vault Secrets User".
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: vaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' existing = {
  parent: vault
  name: secretName
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(secret.id, identityResourceId, keyVaultSecretsUserRoleId)
  scope: secret
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
  }
}

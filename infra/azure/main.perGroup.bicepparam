// One function app per operation group behind Azure Front Door Standard. The pachd address comes from a Key Vault
// secret; the custom domain is what S3 clients use (see docs/DEPLOY-AZURE.md for the DNS records it needs).
using 'main.bicep'

param deploymentMode = 'perGroup'
param namePrefix = 'pachs3'
param pachdAddress = {
  source: 'keyVaultSecret'
  secretUri: 'https://kv-pachyderm.vault.azure.net/secrets/pachd-address'
}
param customDomainName = 's3.example.com'
param maximumInstanceCount = 200
param instanceMemoryMB = 4096
param httpPerInstanceConcurrency = 32
param requestBodySizeLimit = 1073741824
param gatewayRegion = 'westeurope'

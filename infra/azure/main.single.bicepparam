// One function app with every function (the simple default). Replace the pachd address with yours.
using 'main.bicep'

param deploymentMode = 'single'
param namePrefix = 'pachs3'
param pachdAddress = {
  source: 'value'
  address: 'grpc://pachd.example.internal:30650'
}

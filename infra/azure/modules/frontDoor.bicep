// Azure Front Door Standard in front of the per-group function apps: one origin group (with one origin) per app,
// one route for the whole endpoint whose origin group is the default group's, and a rule set that sends each other
// group's requests (by method and path) to its origin group. Nothing is cached, nothing is rewritten, the query string
// goes through as sent, and Front Door talks to the apps over HTTPS only.

@description('Base of the resource names (profile, endpoint).')
param namePrefix string

@description('Tags for every resource of this module.')
param tags resourceTags

@description('The apps behind Front Door: operation group and default host name of each.')
param origins originApp[]

@description('The group whose app serves everything no rule claims.')
param defaultGroup string

@description('Rules that send requests to other groups\' apps, in order.')
param rules routingRule[]

@description('Custom domain clients use (e.g. s3.example.com); empty: only the azurefd.net endpoint.')
param customDomainName string

type resourceTags = {
  *: string
}

type originApp = {
  @description('Operation group the app serves.')
  group: string
  @description('The app\'s default host name.')
  hostName: string
}

type routingRule = {
  @description('Rule name: letters and digits only.')
  name: string
  @description('Operation group whose app receives the matching requests.')
  group: string
  @description('HTTP methods (RequestMethod condition, OR).')
  methods: string[]
  @description('Regular expression on the URL path as Front Door gives it to rules: without the leading slash.')
  pathRegex: string
}

// The most Front Door allows (16-240 s); the Functions front end cuts HTTP requests at 230 s anyway.
var originResponseTimeoutSeconds = 240

resource profile 'Microsoft.Cdn/profiles@2025-06-01' = {
  name: 'afd-${namePrefix}'
  location: 'global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  properties: {
    originResponseTimeoutSeconds: originResponseTimeoutSeconds
  }
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-06-01' = {
  parent: profile
  name: 'ep-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    enabledState: 'Enabled'
  }
}

resource originGroups 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = [
  for origin in origins: {
    parent: profile
    name: 'og-${origin.group}'
    properties: {
      // One origin per group: no health probes (Front Door recommends none for a single origin).
      loadBalancingSettings: {
        sampleSize: 4
        successfulSamplesRequired: 3
        additionalLatencyInMilliseconds: 50
      }
      sessionAffinityState: 'Disabled'
    }
  }
]

// Without a custom domain the Host header must be the app's own name (App Service serves only host names bound to
// the app). With one, the client's host goes through, which is what its SigV4 signature covers; the app then sees a
// host its certificate does not name, so the certificate name check is off for that case (TLS still encrypts).
resource originsOfGroups 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = [
  for (origin, i) in origins: {
    parent: originGroups[i]
    name: 'app-${origin.group}'
    properties: {
      hostName: origin.hostName
      originHostHeader: empty(customDomainName) ? origin.hostName : customDomainName
      httpPort: 80
      httpsPort: 443
      priority: 1
      weight: 1000
      enabledState: 'Enabled'
      enforceCertificateNameCheck: empty(customDomainName)
    }
  }
]

resource ruleSet 'Microsoft.Cdn/profiles/ruleSets@2025-06-01' = {
  parent: profile
  name: 'GatewayRouting'
}

resource routingRules 'Microsoft.Cdn/profiles/ruleSets/rules@2025-06-01' = [
  for (rule, i) in rules: {
    parent: ruleSet
    name: rule.name
    properties: {
      order: i + 1
      matchProcessingBehavior: 'Stop'
      conditions: [
        {
          name: 'RequestMethod'
          parameters: {
            typeName: 'DeliveryRuleRequestMethodConditionParameters'
            operator: 'Equal'
            negateCondition: false
            matchValues: rule.methods
          }
        }
        {
          name: 'UrlPath'
          parameters: {
            typeName: 'DeliveryRuleUrlPathMatchConditionParameters'
            operator: 'RegEx'
            negateCondition: false
            matchValues: [
              rule.pathRegex
            ]
            transforms: []
          }
        }
      ]
      actions: [
        {
          name: 'RouteConfigurationOverride'
          parameters: {
            typeName: 'DeliveryRuleRouteConfigurationOverrideActionParameters'
            // No cacheConfiguration: caching stays off for these requests.
            originGroupOverride: {
              originGroup: {
                id: originGroups[indexOf(map(origins, o => o.group), rule.group)].id
              }
              forwardingProtocol: 'HttpsOnly'
            }
          }
        }
      ]
    }
  }
]

resource customDomain 'Microsoft.Cdn/profiles/customDomains@2025-06-01' = if (!empty(customDomainName)) {
  parent: profile
  name: empty(customDomainName) ? 'unused' : replace(customDomainName, '.', '-')
  properties: {
    hostName: customDomainName
    tlsSettings: {
      certificateType: 'ManagedCertificate'
      minimumTlsVersion: 'TLS12'
    }
  }
}

resource route 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = {
  parent: endpoint
  name: 'gateway'
  properties: {
    originGroup: {
      id: originGroups[indexOf(map(origins, o => o.group), defaultGroup)].id
    }
    customDomains: empty(customDomainName)
      ? []
      : [
          {
            id: customDomain.id
          }
        ]
    ruleSets: [
      {
        id: ruleSet.id
      }
    ]
    supportedProtocols: [
      'Https'
    ]
    patternsToMatch: [
      '/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    httpsRedirect: 'Disabled'
    linkToDefaultDomain: 'Enabled'
    enabledState: 'Enabled'
    // No cacheConfiguration: caching disabled; no originPath: paths go through unchanged.
  }
  // A route can only be created once its origin groups have origins, and the rules must exist before it uses them.
  dependsOn: [
    originsOfGroups
    routingRules
  ]
}

@description('Host name of the Front Door endpoint (<name>-<hash>.z01.azurefd.net).')
output endpointHostName string = endpoint.properties.hostName

@description('Value of the _dnsauth TXT record that validates the custom domain for Front Door\'s managed certificate.')
output customDomainValidationToken string = empty(customDomainName)
  ? ''
  : customDomain!.properties.validationProperties.validationToken

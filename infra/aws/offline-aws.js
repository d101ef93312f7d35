'use strict';
/**
 * CI only: lets `serverless package` run with no AWS access (tests/deploy/test_aws_serverless_cli.py).
 *
 * Packaging needs no AWS API except one: before writing each layer, Serverless v3 asks CloudFormation
 * (describeStacks) whether the deployed stack already holds an identical layer. This plugin answers that
 * the stack does not exist yet (what a first deploy sees) and REFUSES every other AWS call, so an
 * unexpected request fails the check instead of reaching the network. Never used by a real deploy.
 */
class OfflineAws {
  constructor(serverless) {
    const provider = serverless.getProvider('aws');
    provider.request = async (service, method) => {
      if (service === 'CloudFormation' && method === 'describeStacks') {
        const error = new Error(`Stack with id ${provider.naming.getStackName()} does not exist`);
        error.code = 'ValidationError';
        throw error;
      }
      throw new Error(`offline packaging: refused AWS call ${service}.${method}`);
    };
  }
}

module.exports = OfflineAws;

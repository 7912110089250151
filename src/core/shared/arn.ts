// Amazon Resource Names, read by the SDK's own parser (@aws-sdk/util-arn-parser), never by hand.
import { parse, validate } from '@aws-sdk/util-arn-parser';

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** `foundation-model`, `inference-profile`, `role`, …: the resource before its first `/`. */
  resourceType: string;
  /** What follows the first `/` (ids may hold `:` and `/`). */
  resourceId: string;
}

/** The parts of an ARN, or undefined when the text is not one. */
export function arnOf(text: string | undefined): ArnParts | undefined {
  if (!text || !validate(text)) return undefined;
  const { partition, service, region, accountId, resource } = parse(text);
  const slash = resource.indexOf('/');
  return {
    partition,
    service,
    region,
    accountId,
    resourceType: slash < 0 ? resource : resource.slice(0, slash),
    resourceId: slash < 0 ? '' : resource.slice(slash + 1),
  };
}

/** Why a text is not an IAM role ARN Bedrock can assume (undefined when it is one). */
export function roleArnProblem(text: string): string | undefined {
  const arn = arnOf(text.trim());
  return arn?.service === 'iam' && /^\d{12}$/.test(arn.accountId) && arn.resourceType === 'role' && arn.resourceId
    ? undefined
    : 'arn:aws:iam::<account>:role/<name>';
}

/** Why a text is not a Lambda function ARN (a reinforcement fine-tuning grader), or undefined when it is one. */
export function lambdaArnProblem(text: string): string | undefined {
  const arn = arnOf(text.trim());
  const resource = arn ? `${arn.resourceType}${arn.resourceId ? `/${arn.resourceId}` : ''}` : '';
  return arn?.service === 'lambda' &&
    arn.region &&
    /^\d{12}$/.test(arn.accountId) &&
    /^function:[\w-]+(:[\w$-]+)?$/.test(resource)
    ? undefined
    : 'arn:aws:lambda:<region>:<account>:function:<name>';
}

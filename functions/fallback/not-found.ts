/**
 * The HTTP API's `$default` route: any method and path that no route matches. API Gateway would
 * answer `{"message":"Not Found"}` itself; this keeps unmatched paths in the API's problem+json
 * shape. Deliberately free of the shared middleware and the SDK: it touches nothing and should
 * start fast.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { withSafetyHeaders } from '#http/safety-headers.ts';

const messages = {
  vi: { title: 'Không tìm thấy', detail: 'Không có tài nguyên nào ở đường dẫn này.' },
  en: { title: 'Not found', detail: 'There is no resource at this path.' },
} as const;

/** English only when the first language the caller lists is English; Vietnamese otherwise. */
function prefersEnglish(acceptLanguage: string | undefined): boolean {
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim().toLowerCase() ?? '';
  return first === 'en' || first.startsWith('en-');
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const language = prefersEnglish(event.headers?.['accept-language']) ? 'en' : 'vi';
  const text = messages[language];
  return {
    statusCode: 404,
    headers: withSafetyHeaders({ 'content-type': 'application/problem+json', 'content-language': language }),
    body: JSON.stringify({
      type: 'urn:problem:not_found',
      code: 'not_found',
      title: text.title,
      status: 404,
      detail: text.detail,
    }),
  };
}

import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import {
  DomainError,
  type ErrorCode,
  PhotoPendingError,
  PreconditionFailedError,
  UnavailableError,
} from '#domain/errors.ts';
import type { Text } from '#domain/problems.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { Language } from './language.ts';
import { withSafetyHeaders } from './safety-headers.ts';

/** What a problem code means over HTTP: its status and the words shown when nothing more specific is known. */
export interface ProblemType {
  status: number;
  title: Text;
  detail: Text;
}

/**
 * Every error code the API can answer, with status, title and default detail in both languages.
 * The OpenAPI document lists the codes from here, so this table is the contract.
 */
export const problemTypes: Readonly<Record<ErrorCode, ProblemType>> = {
  unauthenticated: {
    status: 401,
    title: { vi: 'Chưa xác thực', en: 'Unauthenticated' },
    detail: { vi: 'Cần một access token hợp lệ.', en: 'A valid access token is required.' },
  },
  forbidden: {
    status: 403,
    title: { vi: 'Không có quyền', en: 'Forbidden' },
    detail: {
      vi: 'Vai trò của bạn không được phép thực hiện thao tác này.',
      en: 'Your role is not allowed to do this.',
    },
  },
  own_visit: {
    status: 403,
    title: { vi: 'Chuyến kiểm tra của chính bạn', en: 'Own visit' },
    detail: {
      vi: 'Bạn không thể duyệt chuyến kiểm tra do chính mình tạo.',
      en: 'You cannot review a visit you created.',
    },
  },
  not_found: {
    status: 404,
    title: { vi: 'Không tìm thấy', en: 'Not found' },
    detail: { vi: 'Không tìm thấy tài nguyên được yêu cầu.', en: 'The requested resource was not found.' },
  },
  conflict: {
    status: 409,
    title: { vi: 'Xung đột', en: 'Conflict' },
    detail: {
      vi: 'Mã định danh này đã được dùng cho một đối tượng khác.',
      en: 'This identifier is already used for a different object.',
    },
  },
  invalid_state: {
    status: 409,
    title: { vi: 'Trạng thái không hợp lệ', en: 'Invalid state' },
    detail: {
      vi: 'Trạng thái hiện tại của đối tượng không cho phép thao tác này.',
      en: "The object's current state does not allow this action.",
    },
  },
  photo_pending: {
    status: 409,
    title: { vi: 'Ảnh đang chờ xác minh', en: 'Photos pending verification' },
    detail: {
      vi: 'Một số ảnh vẫn đang chờ xác minh; vui lòng thử lại sau.',
      en: 'Some photos are still awaiting verification; please retry later.',
    },
  },
  precondition_failed: {
    status: 412,
    title: { vi: 'Điều kiện không thỏa mãn', en: 'Precondition failed' },
    detail: {
      vi: 'Tài nguyên đã thay đổi kể từ lần bạn đọc (If-Match không khớp).',
      en: 'The resource changed since you read it (If-Match did not match).',
    },
  },
  payload_too_large: {
    status: 413,
    title: { vi: 'Dữ liệu quá lớn', en: 'Payload too large' },
    detail: { vi: 'Thân yêu cầu vượt quá 256 KiB.', en: 'The request body exceeds 256 KiB.' },
  },
  validation_failed: {
    status: 422,
    title: { vi: 'Dữ liệu không hợp lệ', en: 'Validation failed' },
    detail: { vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'The request is not valid.' },
  },
  unknown_reference: {
    status: 422,
    title: { vi: 'Tham chiếu không tồn tại', en: 'Unknown reference' },
    detail: {
      vi: 'Yêu cầu tham chiếu đến một đối tượng không tồn tại.',
      en: 'The request refers to something that does not exist.',
    },
  },
  cycle: {
    status: 422,
    title: { vi: 'Vòng lặp', en: 'Cycle' },
    detail: {
      vi: 'Thay đổi này sẽ tạo ra vòng lặp trong cây đơn vị.',
      en: 'This change would create a cycle in the unit tree.',
    },
  },
  incomplete: {
    status: 422,
    title: { vi: 'Chưa đầy đủ', en: 'Incomplete' },
    detail: { vi: 'Chuyến kiểm tra chưa đầy đủ.', en: 'The visit is incomplete.' },
  },
  precondition_required: {
    status: 428,
    title: { vi: 'Thiếu điều kiện', en: 'Precondition required' },
    detail: {
      vi: 'Cần header If-Match chứa ETag hiện tại.',
      en: 'An If-Match header with the current ETag is required.',
    },
  },
  rate_limited: {
    status: 429,
    title: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' },
    detail: { vi: 'Quá nhiều yêu cầu; vui lòng thử lại sau.', en: 'Too many requests; please retry later.' },
  },
  internal: {
    status: 500,
    title: { vi: 'Lỗi hệ thống', en: 'Internal error' },
    detail: {
      vi: 'Đã xảy ra lỗi không mong muốn. Vui lòng thử lại sau.',
      en: 'An unexpected error occurred. Please try again later.',
    },
  },
  unavailable: {
    status: 503,
    title: { vi: 'Dịch vụ tạm thời không khả dụng', en: 'Service unavailable' },
    detail: {
      vi: 'Hệ thống đang quá tải hoặc tạm gián đoạn; chưa có thay đổi nào được ghi. Vui lòng thử lại sau.',
      en: 'The service is busy or temporarily unavailable; nothing was changed. Please retry later.',
    },
  },
};

/** Seconds a client should wait when the store throttles or is down. */
const storeRetryAfterSeconds = 2;

/** AWS SDK error names (DynamoDB, S3, the SDK's own) that mean "busy or down, retry later". */
const unavailableNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'SlowDown',
  'TransactionConflictException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  // Cognito's admin APIs (staff management): throttled, or failing on Cognito's side.
  'TooManyRequestsException',
  'InternalErrorException',
]);

/** Node network error codes: the store could not be reached at all. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Cancellation reasons of a DynamoDB transaction that only say "busy", not "your data is wrong". */
const transientCancellationCodes = new Set([
  'ThrottlingError',
  'TransactionConflict',
  'ProvisionedThroughputExceeded',
]);

/** The parts of an SDK or Node error we inspect; everything is optional as errors come in all shapes. */
const errorShape = z.looseObject({
  name: z.optional(z.string()),
  code: z.optional(z.string()),
  cause: z.optional(z.unknown()),
  CancellationReasons: z.optional(z.array(z.nullable(z.looseObject({ Code: z.optional(z.string()) })))),
  $retryable: z.optional(z.looseObject({ throttling: z.optional(z.boolean()) })),
});

/**
 * Whether an error means the store is throttled or unreachable, so that a later retry is safe:
 * 503 `unavailable` rather than 500. Follows `cause` a few levels, as wrappers often hide the SDK error.
 */
export function isStoreUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4) return false;
  const parsed = errorShape.safeParse(error);
  if (!parsed.success) return false;
  const { name, code, cause, CancellationReasons: reasons, $retryable: retryable } = parsed.data;
  if (name !== undefined && unavailableNames.has(name)) return true;
  if (code !== undefined && (networkCodes.has(code) || unavailableNames.has(code))) return true;
  if (retryable?.throttling === true) return true;
  if (name === 'TransactionCanceledException' && reasons) {
    const codes = reasons.map((reason) => reason?.Code ?? 'None').filter((c) => c !== 'None');
    if (codes.length > 0 && codes.every((c) => transientCancellationCodes.has(c))) return true;
  }
  return cause !== undefined && isStoreUnavailable(cause, depth + 1);
}

/** The logger methods problemResponse needs, so callers can pass the Powertools logger or a stub. */
export type ProblemLog = Pick<Logger, 'error' | 'warn'>;

interface ProblemBody {
  type: string;
  code: ErrorCode;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
  current?: unknown;
}

/**
 * The one place that turns any error into an RFC 9457 problem+json response, in `language`.
 * Domain errors keep their code, detail and problems (as `errors`); a stale If-Match adds
 * `current`; photo_pending and unavailable add `Retry-After`. A throttled or unreachable store
 * answers 503 `unavailable`. Anything else is a bug: 500 `internal` with a generic message,
 * the error itself going only to the log. Every problem carries `nosniff` and `no-store`.
 */
export function problemResponse(
  error: unknown,
  language: Language,
  log?: ProblemLog,
): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = {};
  let code: ErrorCode;
  let detail: Text | undefined;
  const extra: Pick<ProblemBody, 'errors' | 'current'> = {};

  if (error instanceof DomainError) {
    code = error.code;
    detail = error.detail;
    if (error.problems.length > 0) {
      extra.errors = error.problems.map((p) => ({ path: p.path, message: p.message[language] }));
    }
    if (error instanceof PreconditionFailedError) extra.current = error.current;
    if (error instanceof PhotoPendingError || error instanceof UnavailableError) {
      headers['retry-after'] = String(error.retryAfterSeconds);
    }
    if (error instanceof UnavailableError) log?.warn('Store unavailable', { error });
  } else if (error instanceof StaleWriteError) {
    // A conditional write lost a race that its use case did not resolve: nothing was written,
    // and the same request again will see the new state.
    code = 'conflict';
    detail = {
      vi: 'Dữ liệu vừa được thay đổi đồng thời bởi một yêu cầu khác; hãy tải lại và thử lại.',
      en: 'The data changed concurrently through another request; reload and try again.',
    };
    log?.warn('Concurrent change', { error });
  } else if (isStoreUnavailable(error)) {
    code = 'unavailable';
    headers['retry-after'] = String(storeRetryAfterSeconds);
    log?.warn('Store throttled or unreachable', { error });
  } else {
    code = 'internal';
    log?.error('Unhandled error', { error });
  }

  const type = problemTypes[code];
  const body: ProblemBody = {
    type: `urn:problem:${code}`,
    code,
    title: type.title[language],
    status: type.status,
    detail: detail?.[language] || type.detail[language],
    ...extra,
  };
  return {
    statusCode: type.status,
    headers: withSafetyHeaders({
      'content-type': 'application/problem+json',
      'content-language': language,
      ...headers,
    }),
    body: JSON.stringify(body),
  };
}

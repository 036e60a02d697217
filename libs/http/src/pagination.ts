import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { CommonError, CommonErrorCode } from '@secusign/errors';

/** `?limit=&cursor=` of every list endpoint. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page\'s `next_cursor`' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** Position after the last item of a page, for keyset pagination on (created_at, uid) descending. */
export interface CursorPosition {
  createdAt: Date;
  uid: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt.toISOString(), u: position.uid })).toString('base64url');
}

/** Decodes a cursor; a malformed one is a 400 rather than a silent first page. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; u?: unknown };
    const createdAt = new Date(String(parsed.t));
    if (typeof parsed.u !== 'string' || Number.isNaN(createdAt.getTime())) {
      throw new Error('incomplete cursor');
    }

    return { createdAt, uid: parsed.u };
  } catch {
    throw new CommonError(CommonErrorCode.InvalidCursor, `Cursor "${cursor}" is invalid; pass the next_cursor of a previous page.`);
  }
}

/** Builds `{ data, next_cursor }` from `limit + 1` rows fetched in order. */
export function toPage<T, R>(rows: T[], limit: number, positionOf: (row: T) => CursorPosition, serialize: (row: T) => R): Page<R> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;

  return {
    data: pageRows.map(serialize),
    next_cursor: hasMore ? encodeCursor(positionOf(pageRows[pageRows.length - 1])) : null,
  };
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Swagger shape of a page; subclasses narrow `data`. */
export class PageResponse {
  @ApiProperty({ nullable: true, type: String, example: null })
  next_cursor!: string | null;
}

// Operating-system errors (ENOSPC, EROFS, ENAMETOOLONG, ...) as one line that names the path and
// says what the errno means, e.g. "'out/x.csv': no space left on device (ENOSPC)". Used by the CLI
// so that a full disk or a read-only folder never shows a stack trace.

/** Plain-language meaning of the errno codes a user can meet when reading or writing files. */
export const ERRNO_MEANING: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'resource busy',
  EXDEV: 'cannot move across file systems',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EINVAL: 'invalid argument',
  ETXTBSY: 'text file busy',
  EAGAIN: 'resource temporarily unavailable',
};

/** True for an error thrown by a file-system call (it has an errno code like 'ENOSPC'). */
export function isOsError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && (code in ERRNO_MEANING || typeof (error as { syscall?: unknown }).syscall === 'string');
}

/** "'x.csv': no space left on device (ENOSPC)"; without a path, "no space left on device (ENOSPC)". */
export function osErrorText(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  const meaning = ERRNO_MEANING[code] ?? firstLine(error.message).replace(/^[A-Z0-9]+:\s*/, '').replace(/,\s*\w+\s+'.*$/, '');
  const where = error.path ? `'${error.path}': ` : '';
  return `${where}${meaning} (${code})`;
}

function firstLine(text: string): string {
  return String(text).split('\n')[0];
}

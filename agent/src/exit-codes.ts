/** `run` exits with this when the server refuses the device: service managers must not restart it. */
export const EXIT_UNAUTHORIZED = 78;
/** Bad usage or a failed one-shot command (enroll, install…). */
export const EXIT_FAILURE = 1;

// A loopback address nothing listens on, for "can't reach it" tests. Port 2 is never served here, and fetch
// allows it (port 1 is on fetch's list of bad ports). A port freed a moment ago is no substitute: on a busy
// machine another test's server can take it within milliseconds and answer.
export const UNSERVED_LOOPBACK_HOST = '127.0.0.1:2'
export const UNSERVED_LOOPBACK_URL = `http://${UNSERVED_LOOPBACK_HOST}`

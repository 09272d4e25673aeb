// Schema change for interactive sends (issue #11): an outbox row keeps what goes with its content — the
// message it answers and its quick replies, buttons and card — so a queued send leaves with all of it after
// going offline, a restart or a retry, and a retry with the same Idempotency-Key sends the same body.
export const OUTBOX_EXTRAS_SQL = `
-- JSON in Postproxy's wire names: {reply_to_external_id?, quick_replies?, buttons?, card?}; NULL when none.
ALTER TABLE outbox ADD COLUMN extras TEXT;
`

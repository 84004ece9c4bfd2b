-- A scan that a user asked for ("scan now") probes every MX address again instead of reusing a
-- result from the scan window; the claim that starts the scan clears the request.
alter table domains add column fresh_probes boolean not null default false;

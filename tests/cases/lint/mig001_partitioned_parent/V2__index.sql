create index events_at on events (at);

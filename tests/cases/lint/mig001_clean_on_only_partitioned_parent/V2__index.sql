create index events_at on only events (at);
create index concurrently events_2026_at on events_2026 (at);
alter index events_at attach partition events_2026_at;

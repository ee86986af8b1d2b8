create schema app;
comment on schema app is 'old words';

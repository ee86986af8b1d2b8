create schema app;
grant usage, create on schema app to app_user;

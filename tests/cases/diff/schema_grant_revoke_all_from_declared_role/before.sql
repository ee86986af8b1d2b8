create schema app;
grant usage on schema app to app_user;

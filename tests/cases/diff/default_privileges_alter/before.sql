create schema app;
alter default privileges in schema app grant usage on sequences to app_user;
alter default privileges in schema app grant execute on functions to app_user;
alter default privileges in schema app grant usage on types to app_user;

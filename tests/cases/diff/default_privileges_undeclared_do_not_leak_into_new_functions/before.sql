create schema app;
alter default privileges in schema app grant execute on functions to app_user;

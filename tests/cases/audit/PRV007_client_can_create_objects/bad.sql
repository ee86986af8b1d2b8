grant create on schema app to app_user;

reset role;
-- CONNECT and TEMPORARY (PUBLIC's defaults) are not CREATE
do $$ begin execute format('grant connect, temporary on database %I to app_user', current_database()); end $$;

reset role;
do $$ begin execute format('grant create on database %I to app_user', current_database()); end $$;

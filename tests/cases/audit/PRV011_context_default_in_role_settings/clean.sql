reset role; select public.ensure_role('prv011_client'); alter role prv011_client reset all;

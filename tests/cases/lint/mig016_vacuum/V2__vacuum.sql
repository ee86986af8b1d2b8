vacuum analyze t;

CALL CSVWRITE('/tmp/fx/dump/pf_host.csv', 'SELECT * FROM pf_host ORDER BY 1,2,3', 'charset=UTF-8');
CALL CSVWRITE('/tmp/fx/dump/label_counters.csv', 'SELECT * FROM label_counters ORDER BY 1,2,3', 'charset=UTF-8');
CALL CSVWRITE('/tmp/fx/dump/usage_5m.csv', 'SELECT * FROM usage_5m ORDER BY 1,2,3', 'charset=UTF-8');
CALL CSVWRITE('/tmp/fx/dump/usage_1h.csv', 'SELECT * FROM usage_1h ORDER BY 1,2,3', 'charset=UTF-8');
CALL CSVWRITE('/tmp/fx/dump/usage_1d.csv', 'SELECT * FROM usage_1d ORDER BY 1,2,3', 'charset=UTF-8');
CALL CSVWRITE('/tmp/fx/dump/usage_5m_day.csv', 'SELECT HOST,ANCHOR,LABEL,DAY_START,PACKETS_IN,PACKETS_OUT,RAWTOHEX(SLOTS) AS SLOTS FROM usage_5m_day ORDER BY 1,2,3', 'charset=UTF-8');
CALL CSVWRITE('/tmp/fx/dump/ledger_event.csv', 'SELECT * FROM ledger_event ORDER BY 1,2,3', 'charset=UTF-8');
CALL CSVWRITE('/tmp/fx/dump/host_poll_slot.csv', 'SELECT * FROM host_poll_slot ORDER BY 1,2', 'charset=UTF-8');

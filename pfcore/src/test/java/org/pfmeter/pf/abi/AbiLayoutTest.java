package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every struct size, field offset and request number pfmeter uses, per release, pinned as literal
 * expectations. The numbers were printed by a throwaway C program compiled with gcc against each
 * release's own net/pfvar.h, net/hfsc.h, net/fq_codel.h and sys/ioccom.h (bluhm/sys: 7.8 = pfvar.h
 * 1.543 / hfsc.h 1.14; 7.9 and 8.0 = pfvar.h 1.548 / hfsc.h 1.15). Lines: "S struct size",
 * "F struct field offset size", "I request number".
 */
class AbiLayoutTest {

    private static final String FACTS_V7_8 = """
            S pf_status 520
            F pf_status counters 0 136
            F pf_status lcounters 136 80
            F pf_status fcounters 216 24
            F pf_status scounters 240 24
            F pf_status ncounters 264 24
            F pf_status pcounters 288 96
            F pf_status bcounters 384 32
            F pf_status stateid 416 8
            F pf_status syncookies_inflight 424 16
            F pf_status since 440 8
            F pf_status running 448 4
            F pf_status states 452 4
            F pf_status states_halfopen 456 4
            F pf_status src_nodes 460 4
            F pf_status fragments 464 4
            F pf_status debug 468 4
            F pf_status hostid 472 4
            F pf_status reass 476 4
            F pf_status syncookies_active 480 1
            F pf_status syncookies_mode 481 1
            F pf_status pad 482 2
            F pf_status ifname 484 16
            F pf_status pf_chksum 500 16
            S pfioc_limit 8
            F pfioc_limit index 0 4
            F pfioc_limit limit 4 4
            S pfioc_tm 8
            F pfioc_tm timeout 0 4
            F pfioc_tm seconds 4 4
            S pfioc_synflwats 8
            F pfioc_synflwats hiwat 0 4
            F pfioc_synflwats lowat 4 4
            S pfioc_iface 40
            F pfioc_iface pfiio_name 0 16
            F pfioc_iface pfiio_buffer 16 8
            F pfioc_iface pfiio_esize 24 4
            F pfioc_iface pfiio_size 28 4
            F pfioc_iface pfiio_nzero 32 4
            F pfioc_iface pfiio_flags 36 4
            S pfi_kif 256
            F pfi_kif pfik_name 0 16
            F pfi_kif pfik_tree 16 32
            F pfi_kif pfik_packets 48 64
            F pfi_kif pfik_bytes 112 64
            F pfi_kif pfik_tzero 176 8
            F pfi_kif pfik_flags 184 4
            F pfi_kif pfik_flags_new 188 4
            F pfi_kif pfik_ah_cookie 192 8
            F pfi_kif pfik_ifp 200 8
            F pfi_kif pfik_group 208 8
            F pfi_kif pfik_states 216 4
            F pfi_kif pfik_rules 220 4
            F pfi_kif pfik_routes 224 4
            F pfi_kif pfik_srcnodes 228 4
            F pfi_kif pfik_flagrefs 232 4
            F pfi_kif pfik_dynaddrs 240 16
            S pfioc_rule 3408
            F pfioc_rule action 0 4
            F pfioc_rule ticket 4 4
            F pfioc_rule nr 8 4
            F pfioc_rule anchor 12 1024
            F pfioc_rule anchor_call 1036 1024
            F pfioc_rule rule 2064 1344
            S pf_rule 1344
            F pf_rule src 0 56
            F pf_rule dst 56 56
            F pf_rule skip 112 72
            F pf_rule label 184 64
            F pf_rule ifname 248 16
            F pf_rule rcv_ifname 264 16
            F pf_rule qname 280 64
            F pf_rule pqname 344 64
            F pf_rule tagname 408 64
            F pf_rule match_tagname 472 64
            F pf_rule overload_tblname 536 32
            F pf_rule entries 568 16
            F pf_rule nat 584 136
            F pf_rule rdr 720 136
            F pf_rule route 856 136
            F pf_rule pktrate 992 16
            F pf_rule evaluations 1008 8
            F pf_rule packets 1016 16
            F pf_rule bytes 1032 16
            F pf_rule kif 1048 8
            F pf_rule rcv_kif 1056 8
            F pf_rule anchor 1064 8
            F pf_rule overload_tbl 1072 8
            F pf_rule os_fingerprint 1080 4
            F pf_rule rtableid 1084 4
            F pf_rule onrdomain 1088 4
            F pf_rule timeout 1092 80
            F pf_rule states_cur 1172 4
            F pf_rule states_tot 1176 4
            F pf_rule max_states 1180 4
            F pf_rule src_nodes 1184 4
            F pf_rule max_src_nodes 1188 4
            F pf_rule max_src_states 1192 4
            F pf_rule max_src_conn 1196 4
            F pf_rule max_src_conn_rate 1200 8
            F pf_rule qid 1208 4
            F pf_rule pqid 1212 4
            F pf_rule rt_listid 1216 4
            F pf_rule nr 1220 4
            F pf_rule prob 1224 4
            F pf_rule cuid 1228 4
            F pf_rule cpid 1232 4
            F pf_rule return_icmp 1236 2
            F pf_rule return_icmp6 1238 2
            F pf_rule max_mss 1240 2
            F pf_rule tag 1242 2
            F pf_rule match_tag 1244 2
            F pf_rule scrub_flags 1246 2
            F pf_rule delay 1248 2
            F pf_rule uid 1252 12
            F pf_rule gid 1264 12
            F pf_rule rule_flag 1276 4
            F pf_rule action 1280 1
            F pf_rule direction 1281 1
            F pf_rule log 1282 1
            F pf_rule logif 1283 1
            F pf_rule quick 1284 1
            F pf_rule ifnot 1285 1
            F pf_rule match_tag_not 1286 1
            F pf_rule keep_state 1287 1
            F pf_rule af 1288 1
            F pf_rule proto 1289 1
            F pf_rule type 1290 2
            F pf_rule code 1292 2
            F pf_rule flags 1294 1
            F pf_rule flagset 1295 1
            F pf_rule min_ttl 1296 1
            F pf_rule allow_opts 1297 1
            F pf_rule rt 1298 1
            F pf_rule return_ttl 1299 1
            F pf_rule tos 1300 1
            F pf_rule set_tos 1301 1
            F pf_rule anchor_relative 1302 1
            F pf_rule anchor_wildcard 1303 1
            F pf_rule flush 1304 1
            F pf_rule prio 1305 1
            F pf_rule set_prio 1306 2
            F pf_rule naf 1308 1
            F pf_rule rcvifnot 1309 1
            F pf_rule divert 1312 20
            F pf_rule exptime 1336 8
            S pfioc_ruleset 1092
            F pfioc_ruleset nr 0 4
            F pfioc_ruleset path 4 1024
            F pfioc_ruleset name 1028 64
            S pfioc_table 1104
            F pfioc_table pfrio_table 0 1064
            F pfioc_table pfrio_buffer 1064 8
            F pfioc_table pfrio_esize 1072 4
            F pfioc_table pfrio_size 1076 4
            F pfioc_table pfrio_size2 1080 4
            F pfioc_table pfrio_nadd 1084 4
            F pfioc_table pfrio_ndel 1088 4
            F pfioc_table pfrio_nchange 1092 4
            F pfioc_table pfrio_flags 1096 4
            F pfioc_table pfrio_ticket 1100 4
            S pfr_table 1064
            F pfr_table pfrt_anchor 0 1024
            F pfr_table pfrt_name 1024 32
            F pfr_table pfrt_flags 1056 4
            F pfr_table pfrt_fback 1060 1
            S pfr_tstats 1232
            F pfr_tstats pfrts_t 0 1064
            F pfr_tstats pfrts_packets 1064 64
            F pfr_tstats pfrts_bytes 1128 64
            F pfr_tstats pfrts_match 1192 8
            F pfr_tstats pfrts_nomatch 1200 8
            F pfr_tstats pfrts_tzero 1208 8
            F pfr_tstats pfrts_cnt 1216 4
            F pfr_tstats pfrts_refcnt 1220 8
            S pfioc_queue 328
            F pfioc_queue ticket 0 4
            F pfioc_queue nr 4 4
            F pfioc_queue queue 8 320
            S pfioc_qstats 344
            F pfioc_qstats ticket 0 4
            F pfioc_qstats nr 4 4
            F pfioc_qstats queue 8 320
            F pfioc_qstats buf 328 8
            F pfioc_qstats nbytes 336 4
            S pf_queuespec 320
            F pf_queuespec entries 0 16
            F pf_queuespec qname 16 64
            F pf_queuespec parent 80 64
            F pf_queuespec ifname 144 16
            F pf_queuespec realtime 160 40
            F pf_queuespec linkshare 200 40
            F pf_queuespec upperlimit 240 40
            F pf_queuespec flowqueue 280 16
            F pf_queuespec kif 296 8
            F pf_queuespec flags 304 4
            F pf_queuespec qlimit 308 4
            F pf_queuespec qid 312 4
            F pf_queuespec parent_qid 316 4
            S pf_queue_scspec 40
            F pf_queue_scspec m1 0 16
            F pf_queue_scspec m2 16 16
            F pf_queue_scspec d 32 4
            S pf_queue_bwspec 16
            F pf_queue_bwspec absolute 0 8
            F pf_queue_bwspec percent 8 4
            S pf_queue_fqspec 16
            F pf_queue_fqspec flows 0 4
            F pf_queue_fqspec quantum 4 4
            F pf_queue_fqspec target 8 4
            F pf_queue_fqspec interval 12 4
            S hfsc_class_stats 232
            F hfsc_class_stats xmit_cnt 0 16
            F hfsc_class_stats drop_cnt 16 16
            F hfsc_class_stats qlength 32 4
            F hfsc_class_stats qlimit 36 4
            F hfsc_class_stats period 40 4
            F hfsc_class_stats class_id 44 4
            F hfsc_class_stats class_handle 48 4
            F hfsc_class_stats rsc 52 12
            F hfsc_class_stats fsc 64 12
            F hfsc_class_stats usc 76 12
            F hfsc_class_stats total 88 8
            F hfsc_class_stats cumul 96 8
            F hfsc_class_stats d 104 8
            F hfsc_class_stats e 112 8
            F hfsc_class_stats vt 120 8
            F hfsc_class_stats f 128 8
            F hfsc_class_stats initvt 136 8
            F hfsc_class_stats vtoff 144 8
            F hfsc_class_stats cvtmax 152 8
            F hfsc_class_stats myf 160 8
            F hfsc_class_stats cfmin 168 8
            F hfsc_class_stats cvtmin 176 8
            F hfsc_class_stats myfadj 184 8
            F hfsc_class_stats vtadj 192 8
            F hfsc_class_stats cur_time 200 8
            F hfsc_class_stats machclk_freq 208 4
            F hfsc_class_stats vtperiod 212 4
            F hfsc_class_stats parentperiod 216 4
            F hfsc_class_stats nactive 220 4
            F hfsc_class_stats qtype 224 4
            S hfsc_sc 12
            F hfsc_sc m1 0 4
            F hfsc_sc d 4 4
            F hfsc_sc m2 8 4
            S hfsc_pktcntr 16
            F hfsc_pktcntr packets 0 8
            F hfsc_pktcntr bytes 8 8
            S fqcodel_stats 72
            F fqcodel_stats xmit_cnt 0 16
            F fqcodel_stats drop_cnt 16 16
            F fqcodel_stats qlength 32 4
            F fqcodel_stats qlimit 36 4
            F fqcodel_stats flows 40 4
            F fqcodel_stats _unused 44 4
            F fqcodel_stats target 48 4
            F fqcodel_stats interval 52 4
            F fqcodel_stats delaysum 56 8
            F fqcodel_stats delaysumsq 64 8
            S pf_rule_addr 56
            F pf_rule_addr addr 0 48
            F pf_rule_addr port 48 4
            F pf_rule_addr neg 52 1
            F pf_rule_addr port_op 53 1
            F pf_rule_addr weight 54 2
            S pf_addr_wrap 48
            F pf_addr_wrap v 0 32
            F pf_addr_wrap p 32 8
            F pf_addr_wrap type 40 1
            F pf_addr_wrap iflags 41 1
            S pf_pool 136
            F pf_pool addr 0 48
            F pf_pool key 48 16
            F pf_pool counter 64 16
            F pf_pool ifname 80 16
            F pf_pool kif 96 8
            F pf_pool tblidx 104 4
            F pf_pool states 112 8
            F pf_pool curweight 120 4
            F pf_pool weight 124 2
            F pf_pool proxy_port 126 4
            F pf_pool port_op 130 1
            F pf_pool opts 131 1
            S pf_addr 16
            F pf_addr pfa 0 16
            S pfsyncstats 128
            F pfsyncstats pfsyncs_ipackets 0 8
            F pfsyncstats pfsyncs_ipackets6 8 8
            F pfsyncstats pfsyncs_badif 16 8
            F pfsyncstats pfsyncs_badttl 24 8
            F pfsyncstats pfsyncs_hdrops 32 8
            F pfsyncstats pfsyncs_badver 40 8
            F pfsyncstats pfsyncs_badact 48 8
            F pfsyncstats pfsyncs_badlen 56 8
            F pfsyncstats pfsyncs_badauth 64 8
            F pfsyncstats pfsyncs_stale 72 8
            F pfsyncstats pfsyncs_badval 80 8
            F pfsyncstats pfsyncs_badstate 88 8
            F pfsyncstats pfsyncs_opackets 96 8
            F pfsyncstats pfsyncs_opackets6 104 8
            F pfsyncstats pfsyncs_onomem 112 8
            F pfsyncstats pfsyncs_oerrors 120 8
            S pfr_addr 52
            F pfr_addr pfra_u 0 16
            F pfr_addr pfra_ifname 16 16
            F pfr_addr pfra_states 32 4
            F pfr_addr pfra_weight 36 2
            F pfr_addr pfra_af 38 1
            F pfr_addr pfra_net 39 1
            F pfr_addr pfra_not 40 1
            F pfr_addr pfra_fback 41 1
            F pfr_addr pfra_type 42 1
            F pfr_addr pad 43 7
            S pfr_astats 160
            F pfr_astats pfras_a 0 52
            F pfr_astats pfras_packets 56 48
            F pfr_astats pfras_bytes 104 48
            F pfr_astats pfras_tzero 152 8
            I DIOCRGETASTATS 3293594695
            I DIOCGETSTATUS 3255321621
            I DIOCGETSYNFLWATS 3221767267
            I DIOCGETLIMIT 3221767207
            I DIOCGETTIMEOUT 3221767198
            I DIOCIGETIFACES 3223864407
            I DIOCGETRULES 3444589574
            I DIOCGETRULE 3444589575
            I DIOCXEND 3221505124
            I DIOCGETRULESETS 3292808250
            I DIOCGETRULESET 3292808251
            I DIOCRGETTSTATS 3293594688
            I DIOCGETQUEUES 3242738782
            I DIOCGETQSTATS 3243787360
            S pfioc_src_nodes 16
            F pfioc_src_nodes psn_len 0 8
            F pfioc_src_nodes psn_u 8 8
            S pf_src_node 152
            F pf_src_node entry 0 32
            F pf_src_node addr 32 16
            F pf_src_node raddr 48 16
            F pf_src_node rule 64 8
            F pf_src_node kif 72 8
            F pf_src_node bytes 80 16
            F pf_src_node packets 96 16
            F pf_src_node states 112 4
            F pf_src_node conn 116 4
            F pf_src_node conn_rate 120 16
            F pf_src_node creation 136 4
            F pf_src_node expire 140 4
            F pf_src_node af 144 1
            F pf_src_node naf 145 1
            F pf_src_node type 146 1
            I DIOCGETSRCNODES 3222291540
            I DIOCSTART 536888321
            I DIOCSTOP 536888322
            I DIOCRGETTABLES 3293594687
            I DIOCADDRULE 3444589572
            I DIOCXBEGIN 3222291537
            I DIOCXCOMMIT 3222291538
            S pfsync_state_scrub 8
            S pfsync_state_peer 32
            S pfsync_state_key 40
            S pfsync_state 264
            S pfioc_states 16
            I DIOCGETSTATES 3222291481
            F pfsync_state_key addr 0 32
            F pfsync_state_key port 32 4
            F pfsync_state_key rdomain 36 2
            F pfsync_state_key af 38 1
            F pfsync_state_key pad 39 1
            F pfsync_state_peer scrub 0 8
            F pfsync_state_peer seqlo 8 4
            F pfsync_state_peer seqhi 12 4
            F pfsync_state_peer seqdiff 16 4
            F pfsync_state_peer max_win 20 2
            F pfsync_state_peer mss 22 2
            F pfsync_state_peer state 24 1
            F pfsync_state_peer wscale 25 1
            F pfsync_state_peer pad 26 6
            F pfsync_state_scrub pfss_flags 0 2
            F pfsync_state_scrub pfss_ttl 2 1
            F pfsync_state_scrub scrub_flag 3 1
            F pfsync_state_scrub pfss_ts_mod 4 4
            F pfsync_state id 0 8
            F pfsync_state ifname 8 16
            F pfsync_state key 24 80
            F pfsync_state src 104 32
            F pfsync_state dst 136 32
            F pfsync_state rt_addr 168 16
            F pfsync_state rule 184 4
            F pfsync_state anchor 188 4
            F pfsync_state nat_rule 192 4
            F pfsync_state creation 196 4
            F pfsync_state expire 200 4
            F pfsync_state packets 204 16
            F pfsync_state bytes 220 16
            F pfsync_state creatorid 236 4
            F pfsync_state rtableid 240 8
            F pfsync_state max_mss 248 2
            F pfsync_state af 250 1
            F pfsync_state proto 251 1
            F pfsync_state direction 252 1
            F pfsync_state log 253 1
            F pfsync_state rt 254 1
            F pfsync_state timeout 255 1
            F pfsync_state sync_flags 256 1
            F pfsync_state updates 257 1
            F pfsync_state min_ttl 258 1
            F pfsync_state set_tos 259 1
            F pfsync_state state_flags 260 2
            F pfsync_state set_prio 262 2
            F pfioc_states ps_len 0 8
            F pfioc_states ps_u 8 8
            """;

    private static final String FACTS_V7_9 = """
            S pf_status 520
            F pf_status counters 0 136
            F pf_status lcounters 136 80
            F pf_status fcounters 216 24
            F pf_status scounters 240 24
            F pf_status ncounters 264 24
            F pf_status pcounters 288 96
            F pf_status bcounters 384 32
            F pf_status stateid 416 8
            F pf_status syncookies_inflight 424 16
            F pf_status since 440 8
            F pf_status running 448 4
            F pf_status states 452 4
            F pf_status states_halfopen 456 4
            F pf_status src_nodes 460 4
            F pf_status fragments 464 4
            F pf_status debug 468 4
            F pf_status hostid 472 4
            F pf_status reass 476 4
            F pf_status syncookies_active 480 1
            F pf_status syncookies_mode 481 1
            F pf_status pad 482 2
            F pf_status ifname 484 16
            F pf_status pf_chksum 500 16
            S pfioc_limit 8
            F pfioc_limit index 0 4
            F pfioc_limit limit 4 4
            S pfioc_tm 8
            F pfioc_tm timeout 0 4
            F pfioc_tm seconds 4 4
            S pfioc_synflwats 8
            F pfioc_synflwats hiwat 0 4
            F pfioc_synflwats lowat 4 4
            S pfioc_iface 40
            F pfioc_iface pfiio_name 0 16
            F pfioc_iface pfiio_buffer 16 8
            F pfioc_iface pfiio_esize 24 4
            F pfioc_iface pfiio_size 28 4
            F pfioc_iface pfiio_nzero 32 4
            F pfioc_iface pfiio_flags 36 4
            S pfi_kif 256
            F pfi_kif pfik_name 0 16
            F pfi_kif pfik_tree 16 32
            F pfi_kif pfik_packets 48 64
            F pfi_kif pfik_bytes 112 64
            F pfi_kif pfik_tzero 176 8
            F pfi_kif pfik_flags 184 4
            F pfi_kif pfik_flags_new 188 4
            F pfi_kif pfik_ah_cookie 192 8
            F pfi_kif pfik_ifp 200 8
            F pfi_kif pfik_group 208 8
            F pfi_kif pfik_states 216 4
            F pfi_kif pfik_rules 220 4
            F pfi_kif pfik_routes 224 4
            F pfi_kif pfik_srcnodes 228 4
            F pfi_kif pfik_flagrefs 232 4
            F pfi_kif pfik_dynaddrs 240 16
            S pfioc_rule 3424
            F pfioc_rule action 0 4
            F pfioc_rule ticket 4 4
            F pfioc_rule nr 8 4
            F pfioc_rule anchor 12 1024
            F pfioc_rule anchor_call 1036 1024
            F pfioc_rule rule 2064 1360
            S pf_rule 1360
            F pf_rule src 0 56
            F pf_rule dst 56 56
            F pf_rule skip 112 72
            F pf_rule label 184 64
            F pf_rule ifname 248 16
            F pf_rule rcv_ifname 264 16
            F pf_rule qname 280 64
            F pf_rule pqname 344 64
            F pf_rule tagname 408 64
            F pf_rule match_tagname 472 64
            F pf_rule overload_tblname 536 32
            F pf_rule entries 568 16
            F pf_rule nat 584 136
            F pf_rule rdr 720 136
            F pf_rule route 856 136
            F pf_rule pktrate 992 16
            F pf_rule evaluations 1008 8
            F pf_rule packets 1016 16
            F pf_rule bytes 1032 16
            F pf_rule kif 1048 8
            F pf_rule rcv_kif 1056 8
            F pf_rule anchor 1064 8
            F pf_rule overload_tbl 1072 8
            F pf_rule os_fingerprint 1080 4
            F pf_rule rtableid 1084 4
            F pf_rule onrdomain 1088 4
            F pf_rule timeout 1092 80
            F pf_rule states_cur 1172 4
            F pf_rule states_tot 1176 4
            F pf_rule max_states 1180 4
            F pf_rule src_nodes 1184 4
            F pf_rule max_src_nodes 1188 4
            F pf_rule max_src_states 1192 4
            F pf_rule max_src_conn 1196 4
            F pf_rule max_src_conn_rate 1200 8
            F pf_rule qid 1208 4
            F pf_rule pqid 1212 4
            F pf_rule rt_listid 1216 4
            F pf_rule nr 1220 4
            F pf_rule prob 1224 4
            F pf_rule cuid 1228 4
            F pf_rule cpid 1232 4
            F pf_rule return_icmp 1236 2
            F pf_rule return_icmp6 1238 2
            F pf_rule max_mss 1240 2
            F pf_rule tag 1242 2
            F pf_rule match_tag 1244 2
            F pf_rule scrub_flags 1246 2
            F pf_rule delay 1248 2
            F pf_rule uid 1252 12
            F pf_rule gid 1264 12
            F pf_rule rule_flag 1276 4
            F pf_rule action 1280 1
            F pf_rule direction 1281 1
            F pf_rule log 1282 1
            F pf_rule logif 1283 1
            F pf_rule quick 1284 1
            F pf_rule ifnot 1285 1
            F pf_rule match_tag_not 1286 1
            F pf_rule keep_state 1287 1
            F pf_rule af 1288 1
            F pf_rule proto 1289 1
            F pf_rule type 1290 2
            F pf_rule code 1292 2
            F pf_rule flags 1294 1
            F pf_rule flagset 1295 1
            F pf_rule min_ttl 1296 1
            F pf_rule allow_opts 1297 1
            F pf_rule rt 1298 1
            F pf_rule return_ttl 1299 1
            F pf_rule tos 1300 1
            F pf_rule set_tos 1301 1
            F pf_rule anchor_relative 1302 1
            F pf_rule anchor_wildcard 1303 1
            F pf_rule flush 1304 1
            F pf_rule prio 1305 1
            F pf_rule set_prio 1306 2
            F pf_rule naf 1308 1
            F pf_rule rcvifnot 1309 1
            F pf_rule statelim 1312 8
            F pf_rule sourcelim 1320 8
            F pf_rule divert 1328 20
            F pf_rule exptime 1352 8
            S pfioc_ruleset 1092
            F pfioc_ruleset nr 0 4
            F pfioc_ruleset path 4 1024
            F pfioc_ruleset name 1028 64
            S pfioc_table 1104
            F pfioc_table pfrio_table 0 1064
            F pfioc_table pfrio_buffer 1064 8
            F pfioc_table pfrio_esize 1072 4
            F pfioc_table pfrio_size 1076 4
            F pfioc_table pfrio_size2 1080 4
            F pfioc_table pfrio_nadd 1084 4
            F pfioc_table pfrio_ndel 1088 4
            F pfioc_table pfrio_nchange 1092 4
            F pfioc_table pfrio_flags 1096 4
            F pfioc_table pfrio_ticket 1100 4
            S pfr_table 1064
            F pfr_table pfrt_anchor 0 1024
            F pfr_table pfrt_name 1024 32
            F pfr_table pfrt_flags 1056 4
            F pfr_table pfrt_fback 1060 1
            S pfr_tstats 1232
            F pfr_tstats pfrts_t 0 1064
            F pfr_tstats pfrts_packets 1064 64
            F pfr_tstats pfrts_bytes 1128 64
            F pfr_tstats pfrts_match 1192 8
            F pfr_tstats pfrts_nomatch 1200 8
            F pfr_tstats pfrts_tzero 1208 8
            F pfr_tstats pfrts_cnt 1216 4
            F pfr_tstats pfrts_refcnt 1220 8
            S pfioc_queue 328
            F pfioc_queue ticket 0 4
            F pfioc_queue nr 4 4
            F pfioc_queue queue 8 320
            S pfioc_qstats 344
            F pfioc_qstats ticket 0 4
            F pfioc_qstats nr 4 4
            F pfioc_qstats queue 8 320
            F pfioc_qstats buf 328 8
            F pfioc_qstats nbytes 336 4
            S pf_queuespec 320
            F pf_queuespec entries 0 16
            F pf_queuespec qname 16 64
            F pf_queuespec parent 80 64
            F pf_queuespec ifname 144 16
            F pf_queuespec realtime 160 40
            F pf_queuespec linkshare 200 40
            F pf_queuespec upperlimit 240 40
            F pf_queuespec flowqueue 280 16
            F pf_queuespec kif 296 8
            F pf_queuespec flags 304 4
            F pf_queuespec qlimit 308 4
            F pf_queuespec qid 312 4
            F pf_queuespec parent_qid 316 4
            S pf_queue_scspec 40
            F pf_queue_scspec m1 0 16
            F pf_queue_scspec m2 16 16
            F pf_queue_scspec d 32 4
            S pf_queue_bwspec 16
            F pf_queue_bwspec absolute 0 8
            F pf_queue_bwspec percent 8 4
            S pf_queue_fqspec 16
            F pf_queue_fqspec flows 0 4
            F pf_queue_fqspec quantum 4 4
            F pf_queue_fqspec target 8 4
            F pf_queue_fqspec interval 12 4
            S hfsc_class_stats 272
            F hfsc_class_stats xmit_cnt 0 16
            F hfsc_class_stats drop_cnt 16 16
            F hfsc_class_stats qlength 32 4
            F hfsc_class_stats qlimit 36 4
            F hfsc_class_stats period 40 4
            F hfsc_class_stats class_id 44 4
            F hfsc_class_stats class_handle 48 4
            F hfsc_class_stats rsc 56 24
            F hfsc_class_stats fsc 80 24
            F hfsc_class_stats usc 104 24
            F hfsc_class_stats total 128 8
            F hfsc_class_stats cumul 136 8
            F hfsc_class_stats d 144 8
            F hfsc_class_stats e 152 8
            F hfsc_class_stats vt 160 8
            F hfsc_class_stats f 168 8
            F hfsc_class_stats initvt 176 8
            F hfsc_class_stats vtoff 184 8
            F hfsc_class_stats cvtmax 192 8
            F hfsc_class_stats myf 200 8
            F hfsc_class_stats cfmin 208 8
            F hfsc_class_stats cvtmin 216 8
            F hfsc_class_stats myfadj 224 8
            F hfsc_class_stats vtadj 232 8
            F hfsc_class_stats cur_time 240 8
            F hfsc_class_stats machclk_freq 248 4
            F hfsc_class_stats vtperiod 252 4
            F hfsc_class_stats parentperiod 256 4
            F hfsc_class_stats nactive 260 4
            F hfsc_class_stats qtype 264 4
            S hfsc_sc 24
            F hfsc_sc m1 0 8
            F hfsc_sc d 16 4
            F hfsc_sc m2 8 8
            S hfsc_pktcntr 16
            F hfsc_pktcntr packets 0 8
            F hfsc_pktcntr bytes 8 8
            S fqcodel_stats 72
            F fqcodel_stats xmit_cnt 0 16
            F fqcodel_stats drop_cnt 16 16
            F fqcodel_stats qlength 32 4
            F fqcodel_stats qlimit 36 4
            F fqcodel_stats flows 40 4
            F fqcodel_stats _unused 44 4
            F fqcodel_stats target 48 4
            F fqcodel_stats interval 52 4
            F fqcodel_stats delaysum 56 8
            F fqcodel_stats delaysumsq 64 8
            S pf_rule_addr 56
            F pf_rule_addr addr 0 48
            F pf_rule_addr port 48 4
            F pf_rule_addr neg 52 1
            F pf_rule_addr port_op 53 1
            F pf_rule_addr weight 54 2
            S pf_addr_wrap 48
            F pf_addr_wrap v 0 32
            F pf_addr_wrap p 32 8
            F pf_addr_wrap type 40 1
            F pf_addr_wrap iflags 41 1
            S pf_pool 136
            F pf_pool addr 0 48
            F pf_pool key 48 16
            F pf_pool counter 64 16
            F pf_pool ifname 80 16
            F pf_pool kif 96 8
            F pf_pool tblidx 104 4
            F pf_pool states 112 8
            F pf_pool curweight 120 4
            F pf_pool weight 124 2
            F pf_pool proxy_port 126 4
            F pf_pool port_op 130 1
            F pf_pool opts 131 1
            S pf_addr 16
            F pf_addr pfa 0 16
            S pfsyncstats 128
            F pfsyncstats pfsyncs_ipackets 0 8
            F pfsyncstats pfsyncs_ipackets6 8 8
            F pfsyncstats pfsyncs_badif 16 8
            F pfsyncstats pfsyncs_badttl 24 8
            F pfsyncstats pfsyncs_hdrops 32 8
            F pfsyncstats pfsyncs_badver 40 8
            F pfsyncstats pfsyncs_badact 48 8
            F pfsyncstats pfsyncs_badlen 56 8
            F pfsyncstats pfsyncs_badauth 64 8
            F pfsyncstats pfsyncs_stale 72 8
            F pfsyncstats pfsyncs_badval 80 8
            F pfsyncstats pfsyncs_badstate 88 8
            F pfsyncstats pfsyncs_opackets 96 8
            F pfsyncstats pfsyncs_opackets6 104 8
            F pfsyncstats pfsyncs_onomem 112 8
            F pfsyncstats pfsyncs_oerrors 120 8
            S pfr_addr 52
            F pfr_addr pfra_u 0 16
            F pfr_addr pfra_ifname 16 16
            F pfr_addr pfra_states 32 4
            F pfr_addr pfra_weight 36 2
            F pfr_addr pfra_af 38 1
            F pfr_addr pfra_net 39 1
            F pfr_addr pfra_not 40 1
            F pfr_addr pfra_fback 41 1
            F pfr_addr pfra_type 42 1
            F pfr_addr pad 43 7
            S pfr_astats 160
            F pfr_astats pfras_a 0 52
            F pfr_astats pfras_packets 56 48
            F pfr_astats pfras_bytes 104 48
            F pfr_astats pfras_tzero 152 8
            I DIOCRGETASTATS 3293594695
            I DIOCGETSTATUS 3255321621
            I DIOCGETSYNFLWATS 3221767267
            I DIOCGETLIMIT 3221767207
            I DIOCGETTIMEOUT 3221767198
            I DIOCIGETIFACES 3223864407
            I DIOCGETRULES 3445638150
            I DIOCGETRULE 3445638151
            I DIOCXEND 3221505124
            I DIOCGETRULESETS 3292808250
            I DIOCGETRULESET 3292808251
            I DIOCRGETTSTATS 3293594688
            I DIOCGETQUEUES 3242738782
            I DIOCGETQSTATS 3243787360
            S pfioc_src_nodes 16
            F pfioc_src_nodes psn_len 0 8
            F pfioc_src_nodes psn_u 8 8
            S pf_src_node 152
            F pf_src_node entry 0 32
            F pf_src_node addr 32 16
            F pf_src_node raddr 48 16
            F pf_src_node rule 64 8
            F pf_src_node kif 72 8
            F pf_src_node bytes 80 16
            F pf_src_node packets 96 16
            F pf_src_node states 112 4
            F pf_src_node conn 116 4
            F pf_src_node conn_rate 120 16
            F pf_src_node creation 136 4
            F pf_src_node expire 140 4
            F pf_src_node af 144 1
            F pf_src_node naf 145 1
            F pf_src_node type 146 1
            I DIOCGETSRCNODES 3222291540
            I DIOCSTART 536888321
            I DIOCSTOP 536888322
            I DIOCRGETTABLES 3293594687
            I DIOCADDRULE 3445638148
            I DIOCXBEGIN 3222291537
            I DIOCXCOMMIT 3222291538
            S pfsync_state_scrub 8
            S pfsync_state_peer 32
            S pfsync_state_key 40
            S pfsync_state 264
            S pfioc_states 16
            I DIOCGETSTATES 3222291481
            F pfsync_state_key addr 0 32
            F pfsync_state_key port 32 4
            F pfsync_state_key rdomain 36 2
            F pfsync_state_key af 38 1
            F pfsync_state_key pad 39 1
            F pfsync_state_peer scrub 0 8
            F pfsync_state_peer seqlo 8 4
            F pfsync_state_peer seqhi 12 4
            F pfsync_state_peer seqdiff 16 4
            F pfsync_state_peer max_win 20 2
            F pfsync_state_peer mss 22 2
            F pfsync_state_peer state 24 1
            F pfsync_state_peer wscale 25 1
            F pfsync_state_peer pad 26 6
            F pfsync_state_scrub pfss_flags 0 2
            F pfsync_state_scrub pfss_ttl 2 1
            F pfsync_state_scrub scrub_flag 3 1
            F pfsync_state_scrub pfss_ts_mod 4 4
            F pfsync_state id 0 8
            F pfsync_state ifname 8 16
            F pfsync_state key 24 80
            F pfsync_state src 104 32
            F pfsync_state dst 136 32
            F pfsync_state rt_addr 168 16
            F pfsync_state rule 184 4
            F pfsync_state anchor 188 4
            F pfsync_state nat_rule 192 4
            F pfsync_state creation 196 4
            F pfsync_state expire 200 4
            F pfsync_state packets 204 16
            F pfsync_state bytes 220 16
            F pfsync_state creatorid 236 4
            F pfsync_state rtableid 240 8
            F pfsync_state max_mss 248 2
            F pfsync_state af 250 1
            F pfsync_state proto 251 1
            F pfsync_state direction 252 1
            F pfsync_state log 253 1
            F pfsync_state rt 254 1
            F pfsync_state timeout 255 1
            F pfsync_state sync_flags 256 1
            F pfsync_state updates 257 1
            F pfsync_state min_ttl 258 1
            F pfsync_state set_tos 259 1
            F pfsync_state state_flags 260 2
            F pfsync_state set_prio 262 2
            F pfioc_states ps_len 0 8
            F pfioc_states ps_u 8 8
            """;



    /**
     * The limiter requests of pfvar.h 1.548 (7.9, 8.0; 7.8 has none), printed by a probe compiled
     * with gcc on amd64 against that header (sa_family_t is OpenBSD's u_int8_t), 2026-12-03.
     */
    private static final String FACTS_LIMITERS = """
            S pfioc_statelim 128
            F pfioc_statelim ticket 0 4
            F pfioc_statelim name 4 16
            F pfioc_statelim id 20 4
            F pfioc_statelim limit 24 4
            F pfioc_statelim rate 28 8
            F pfioc_statelim description 36 64
            F pfioc_statelim inuse 100 4
            F pfioc_statelim admitted 104 8
            F pfioc_statelim hardlimited 112 8
            F pfioc_statelim ratelimited 120 8
            S pfioc_sourcelim 208
            F pfioc_sourcelim ticket 0 4
            F pfioc_sourcelim name 4 16
            F pfioc_sourcelim id 20 4
            F pfioc_sourcelim entries 24 4
            F pfioc_sourcelim limit 28 4
            F pfioc_sourcelim rate 32 8
            F pfioc_sourcelim overload_tblname 40 32
            F pfioc_sourcelim overload_hwm 72 4
            F pfioc_sourcelim overload_lwm 76 4
            F pfioc_sourcelim inet_prefix 80 4
            F pfioc_sourcelim inet6_prefix 84 4
            F pfioc_sourcelim description 88 64
            F pfioc_sourcelim nentries 152 4
            F pfioc_sourcelim inuse 156 4
            F pfioc_sourcelim addrallocs 160 8
            F pfioc_sourcelim addrnomem 168 8
            F pfioc_sourcelim admitted 176 8
            F pfioc_sourcelim addrlimited 184 8
            F pfioc_sourcelim hardlimited 192 8
            F pfioc_sourcelim ratelimited 200 8
            S pfioc_source_entry 56
            F pfioc_source_entry af 0 1
            F pfioc_source_entry rdomain 4 4
            F pfioc_source_entry addr 8 16
            F pfioc_source_entry inuse 24 4
            F pfioc_source_entry admitted 32 8
            F pfioc_source_entry hardlimited 40 8
            F pfioc_source_entry ratelimited 48 8
            S pfioc_source 64
            F pfioc_source name 0 16
            F pfioc_source id 16 4
            F pfioc_source inet_prefix 20 4
            F pfioc_source inet6_prefix 24 4
            F pfioc_source limit 28 4
            F pfioc_source entry_size 32 8
            F pfioc_source key 40 8
            F pfioc_source entries 48 8
            F pfioc_source entrieslen 56 8
            I DIOCGETSTATELIM 3229631591
            I DIOCGETSOURCELIM 3234874472
            I DIOCGETSOURCE 3225437289
            I DIOCGETNSTATELIM 3229631594
            I DIOCGETNSOURCELIM 3234874475
            I DIOCGETNSOURCE 3225437292
            """;

    static String facts(AbiRelease r) {
        return switch (r) {
            case V7_8 -> FACTS_V7_8;
            case V7_9 -> FACTS_V7_9 + FACTS_LIMITERS;
            // the 8.0 tree carries the same pfvar.h (1.548), hfsc.h (1.15), fq_codel.h and ioccom.h as
            // 7.9: the probe printed identical lines for both
            case V8_0 -> FACTS_V7_9 + FACTS_LIMITERS;
        };
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void everyStructSizeMatchesTheHeaders(AbiRelease release) {
        PfAbi abi = release.abi();
        int checked = 0;
        for (String line : facts(release).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("S") && abi.structs().containsKey(f[1])) {
                assertThat(abi.struct(f[1]).size()).as("sizeof(struct %s) in %s", f[1], release.version())
                        .isEqualTo(Integer.parseInt(f[2]));
                checked++;
            }
        }
        assertThat(checked).as("structs checked").isGreaterThanOrEqualTo(20);
        // Every struct the code declares has a pinned size.
        for (String name : abi.structs().keySet()) {
            assertThat(facts(release)).as("a pinned size for %s", name).contains("S " + name + " ");
        }
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void structsDeclareTheHeadersFieldsAtTheHeadersOffsets(AbiRelease release) {
        PfAbi abi = release.abi();
        Map<String, Map<Integer, String>> expectedFields = new LinkedHashMap<>();
        for (String line : facts(release).split("\n")) {
            String[] f = line.trim().split(" ");
            if (!f[0].equals("F") || !abi.structs().containsKey(f[1])) {
                continue;
            }
            CStruct s = abi.struct(f[1]);
            assertThat(s.has(f[2])).as("struct %s declares %s (%s)", f[1], f[2], release.version()).isTrue();
            assertThat(s.offset(f[2])).as("offsetof(struct %s, %s) in %s", f[1], f[2], release.version())
                    .isEqualTo(Integer.parseInt(f[3]));
            assertThat(s.field(f[2]).size()).as("sizeof %s.%s in %s", f[1], f[2], release.version())
                    .isEqualTo(Integer.parseInt(f[4]));
            expectedFields.computeIfAbsent(f[1], k -> new java.util.TreeMap<>()).put(Integer.parseInt(f[3]), f[2]);
        }
        // Field for field: the declared members are exactly the header's, in its order (by offset).
        expectedFields.forEach((struct, fields) ->
                assertThat(new ArrayList<>(abi.struct(struct).fields().keySet())).as("members of struct %s", struct)
                        .containsExactlyElementsOf(fields.values()));
        assertThat(expectedFields).containsKeys("pf_status", "pfi_kif", "pf_rule", "pfioc_rule", "pfr_tstats",
                "pfioc_qstats", "hfsc_class_stats", "fqcodel_stats", "pf_src_node", "pfioc_src_nodes",
                "pfsync_state", "pfioc_states");
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void requestNumbersMatchTheHeaders(AbiRelease release) {
        PfAbi abi = release.abi();
        int checked = 0;
        for (String line : facts(release).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("I")) {
                for (PfIoctl io : PfIoctl.values()) {
                    if (io.name().equals(f[1])) {
                        assertThat(abi.request(io)).as("%s in %s", f[1], release.version()).isEqualTo(Long.parseLong(f[2]));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("every request pfmeter sends is pinned")
                .isEqualTo(java.util.Arrays.stream(PfIoctl.values()).filter(io -> io.presentIn(release)).count());
    }
}

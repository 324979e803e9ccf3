# Captures Redis 7.0.15's COMMAND INFO entry of every command the RESP listener knows, in RESP2 and
# RESP3, as the expected bytes of RespEncoderCommandTest. Run against `redis-server --port 16398`:
#   python3 capture-command-info.py > redis-7.0.15-command-info.txt
import socket
def enc(args):
    out = b'*%d\r\n' % len(args)
    for a in args:
        a = a.encode()
        out += b'$%d\r\n%s\r\n' % (len(a), a)
    return out
def rd(s):
    data = b''
    s.settimeout(0.3)
    try:
        while True:
            d = s.recv(65536)
            if not d: break
            data += d
    except socket.timeout: pass
    return data
names = ['subscribe','unsubscribe','psubscribe','punsubscribe','publish','pubsub','pubsub|channels','pubsub|numsub',
         'pubsub|numpat','ping','echo','hello','auth','client','client|id','client|setname','client|getname',
         'client|reply','client|list','reset','quit','select','get','command','command|docs','command|count','info',
         'flushall','function','function|flush']
for version in (2, 3):
    s = socket.create_connection(('127.0.0.1', 16398))
    if version == 3:
        s.sendall(enc(['HELLO', '3'])); rd(s)
    for n in names:
        s.sendall(enc(['COMMAND', 'INFO', n]))
        r = rd(s)
        assert r.startswith(b'*1\r\n')
        entry = r[4:].decode('latin-1').replace('\\', '\\\\').replace('\r', '\\r').replace('\n', '\\n')
        print('%d %s %s' % (version, n, entry))
    s.close()

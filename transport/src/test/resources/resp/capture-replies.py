# How the expected bytes of RespEncoderRepliesTest, RespEncoderErrorsTest and RespEncoderPushTest were
# captured: start redis-server 7.0.15 with
#   redis-server --port 16398 --save '' --appendonly no
# then run python3 capture-replies.py and read the repr() of each reply (RESP2, then RESP3 after HELLO 3).
# The NOAUTH/WRONGPASS lines were captured after CONFIG SET requirepass secret.
import socket, sys, time
def enc(args):
    out = b'*%d\r\n' % len(args)
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        out += b'$%d\r\n%s\r\n' % (len(a), a)
    return out
def conn(port=16398):
    s = socket.create_connection(('127.0.0.1', port)); s.settimeout(0.3); return s
def rd(s):
    data=b''
    try:
        while True:
            d=s.recv(65536)
            if not d: break
            data+=d
    except socket.timeout: pass
    return data
def run(cmds, hello3=False, raw=False):
    s=conn()
    if hello3:
        s.sendall(enc(['HELLO','3'])); rd(s)
    res=[]
    for c in cmds:
        s.sendall(c if isinstance(c, bytes) else enc(c)); res.append((c, rd(s)))
    s.close(); return res

# --- replies and errors
cmds=[['PING'],['PING','hi'],['ECHO','x y'],['CLIENT','ID'],['CLIENT','SETINFO','lib-name','x'],['SELECT','0'],['SELECT','1'],['FUNCTION','FLUSH'],['CLIENT','REPLY','ON'],
['COMMAND','COUNT'],['COMMAND','DOCS','ping'],['CLIENT','SETNAME','a b'],['CLIENT','SETNAME','ab'],['CLIENT','GETNAME'],['PUBSUB','CHANNELS'],['PUBSUB','NUMSUB','a','b'],['PUBSUB','NUMPAT'],
['HELLO'],['HELLO','2'],['HELLO','4'],['RESET'],['FLUSHALL'],['AUTH','x'],['AUTH','u','p'],['GET','nokey'],['PUBLISH','c','m'],['foo','a','b'],['CLIENT','FOO'],['PUBSUB','FOO'],['COMMAND','FOO'],['FUNCTION','FOO'],['CLIENT'],['PUBSUB'],
['ECHO'],['PUBLISH','a'],['CLIENT','ID','x'],['CLIENT','SETNAME'],['SELECT'],['GET'],['SUBSCRIBE'],['PING','a','b'],['HELLO','x'],['HELLO','3','foo'],['INFO','server'],
['UNSUBSCRIBE'],['PUNSUBSCRIBE'],['SUBSCRIBE','a','b'],['PSUBSCRIBE','p*'],['PING'],['PING','x'],['PING',''],['GET','a'],['CLIENT','ID'],['ECHO','x'],['UNSUBSCRIBE'],['PUNSUBSCRIBE'],['UNSUBSCRIBE'],['QUIT']]
for v in (False, True):
    print("==== RESP3" if v else "==== RESP2")
    for c,r in run(cmds, hello3=v):
        print(c, repr(r))

# --- RESP3 forms
cmds=[['GET','nokey'],['PUBSUB','CHANNELS'],['PUBSUB','NUMSUB','a','b'],['PUBSUB','NUMSUB'],['CLIENT','GETNAME'],['COMMAND','DOCS','nosuch'],['INFO','nosuch'],
['UNSUBSCRIBE'],['PUNSUBSCRIBE'],['SUBSCRIBE','a','b'],['PSUBSCRIBE','p*'],['PUBSUB','CHANNELS'],['PING'],['PING','x'],['GET','a'],['ECHO','x'],['CLIENT','ID'],['UNSUBSCRIBE'],['PUNSUBSCRIBE'],['UNSUBSCRIBE'],['RESET'],['PING']]
for c,r in run(cmds, hello3=True):
    print(c, repr(r))
print("=== RESP2 extras")
for c,r in run([['INFO','nosuch'],['COMMAND','DOCS','nosuch'],['CLIENT','GETNAME'],['PUBSUB','NUMSUB'],['SUBSCRIBE','a'],['PUBSUB','CHANNELS'],['PUBSUB','NUMSUB','a']]):
    print(c, repr(r))

# --- pushes (message, pmessage), COMMAND INFO, CLIENT LIST, INFO
import time
for v in (False, True):
    sub=conn()
    if v: sub.sendall(enc(['HELLO','3'])); rd(sub)
    sub.sendall(enc(['SUBSCRIBE','ch'])); rd(sub)
    sub.sendall(enc(['PSUBSCRIBE','c*'])); rd(sub)
    p=conn()
    for m in [b'hello', b'', b'a\r\nb', b'x'*9, b'x'*10, b'x'*99, b'x'*100]:
        p.sendall(enc(['PUBLISH','ch',m])); print('pub', rd(p))
        print(v, repr(rd(sub)))
    sub.close(); p.close()
s=conn()
for c in [['COMMAND','INFO','ping','subscribe','client','get','publish','pubsub']]:
    s.sendall(enc(c)); print(c, repr(rd(s)))
s.sendall(enc(['CLIENT','LIST'])); print(repr(rd(s)))
s.sendall(enc(['HELLO','3'])); rd(s)
s.sendall(enc(['COMMAND','INFO','ping','client'])); print(repr(rd(s)))
s.sendall(enc(['CLIENT','LIST'])); print(repr(rd(s)))
s.sendall(enc(['COMMAND','COUNT'])); print(repr(rd(s)))
s.sendall(enc(['COMMAND','DOCS'])); print(repr(rd(s))[:100])
s.sendall(enc(['INFO','stats'])); print(repr(rd(s))[:300])

# --- unknown command / subcommand limits
s = conn()
for t in [[b'foo'], [b'f' * 200, b'a'], [b'foo', b'a' * 130, b'b'], [b'foo', b'a' * 100, b'b' * 100, b'c'],
          [b'foo', b'x\r\ny', b'n\x00ul'], [b'fo\x00o', b'a'], [b'client', b's' * 200], [b'client', b'x\r\ny'],
          [b'pubsub', b'\xc3\xa9'], [b'foo', b''] + [b'x'] * 60,
          ['SELECT', 'abc'], ['SELECT', '16'], ['CLIENT', 'REPLY', 'foo'], ['FUNCTION', 'FLUSH', 'foo'], ['HELLO', '1']]:
    s.sendall(enc(t)); print(t, repr(rd(s)))

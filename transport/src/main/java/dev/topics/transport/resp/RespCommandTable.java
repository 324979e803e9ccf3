package dev.topics.transport.resp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reply to {@code COMMAND}: every {@link RespCommand} in Redis 7.0's COMMAND INFO format, built
 * once per protocol version. Each top-level command is an array of 10: name, arity, flags, first
 * key, last key, key step, ACL categories, tips, key specifications and subcommands (each an entry
 * of the same form). Flags, categories and tips are Redis 7.0.15's own for the same command, so a
 * client that routes or checks commands by them (Lettuce, Jedis, redis-py) sees what it would see
 * from Redis; only the subcommands this server knows are listed under CLIENT, PUBSUB, COMMAND and
 * FUNCTION. The containers Redis lists without a command of their own here (CLIENT, PUBSUB,
 * FUNCTION) are listed as Redis lists them: arity -2, no flags, {@code @slow}.
 *
 * <p>Immutable; safe on any thread.
 */
final class RespCommandTable
{
    private static final String[] NO_STRINGS = {};
    private static final String[] PUBSUB_FLAGS = {"pubsub", "noscript", "loading", "stale"};
    private static final String[] CONNECTION_FLAGS = {"noscript", "loading", "stale", "fast", "no_auth", "allow_busy"};
    private static final String[] CLIENT_FLAGS = {"noscript", "loading", "stale"};
    private static final String[] LOADING_STALE = {"loading", "stale"};
    private static final String[] SLOW_CONNECTION = {"@slow", "@connection"};
    private static final String[] FAST_CONNECTION = {"@fast", "@connection"};
    private static final String[] PUBSUB_SLOW = {"@pubsub", "@slow"};
    private static final String[] ALL_SHARDS_SUCCEEDED = {"request_policy:all_shards", "response_policy:all_succeeded"};
    private static final String[] ORDER = {"nondeterministic_output_order"};

    private static final List<Entry> TOP_LEVEL = topLevel();
    private static final byte[] RESP2 = build(2);
    private static final byte[] RESP3 = build(3);

    private RespCommandTable()
    {
    }

    /** The whole COMMAND reply in protocol {@code version}; callers must not modify it. */
    static byte[] reply(final int version)
    {
        return version >= 3 ? RESP3 : RESP2;
    }

    /** How many top-level commands COMMAND lists: the answer to COMMAND COUNT. */
    static int count()
    {
        return TOP_LEVEL.size();
    }

    /** One command's line of the table, with Redis 7.0.15's data for it. */
    private record Entry(
        String name, int arity, String[] flags, int firstKey, int lastKey, int step, String[] acl, String[] tips,
        boolean keySpec, List<Entry> subcommands)
    {
    }

    private static Entry container(final String name)
    {
        return new Entry(name, -2, NO_STRINGS, 0, 0, 0, new String[]{"@slow"}, NO_STRINGS, false, new ArrayList<>());
    }

    private static Entry entry(final RespCommand command)
    {
        final String name = command.fullName();
        final int arity = command.arity();
        return switch (command)
        {
            case SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE -> plain(name, arity, PUBSUB_FLAGS, PUBSUB_SLOW, NO_STRINGS);
            case PUBLISH -> plain(name, arity, new String[]{"pubsub", "loading", "stale", "fast"},
                new String[]{"@pubsub", "@fast"}, NO_STRINGS);
            case PUBSUB_CHANNELS, PUBSUB_NUMSUB, PUBSUB_NUMPAT ->
                plain(name, arity, new String[]{"pubsub", "loading", "stale"}, PUBSUB_SLOW, NO_STRINGS);
            case PING -> plain(name, arity, new String[]{"fast"}, FAST_CONNECTION, ALL_SHARDS_SUCCEEDED);
            case ECHO, SELECT -> plain(name, arity, new String[]{"loading", "stale", "fast"}, FAST_CONNECTION, NO_STRINGS);
            case HELLO, AUTH, RESET, QUIT -> plain(name, arity, CONNECTION_FLAGS, FAST_CONNECTION, NO_STRINGS);
            case CLIENT_ID, CLIENT_SETNAME, CLIENT_GETNAME, CLIENT_REPLY -> plain(name, arity, CLIENT_FLAGS, SLOW_CONNECTION, NO_STRINGS);
            // Redis 7.2's entry: 7.0 has no CLIENT SETINFO.
            case CLIENT_SETINFO -> plain(name, arity, CLIENT_FLAGS, SLOW_CONNECTION,
                new String[]{"request_policy:all_nodes", "response_policy:all_succeeded"});
            case CLIENT_LIST -> plain(name, arity, new String[]{"admin", "noscript", "loading", "stale"},
                new String[]{"@admin", "@slow", "@dangerous", "@connection"}, new String[]{"nondeterministic_output"});
            case GET -> new Entry(name, arity, new String[]{"readonly", "fast"}, 1, 1, 1,
                new String[]{"@read", "@string", "@fast"}, NO_STRINGS, true, new ArrayList<>());
            case COMMAND, COMMAND_DOCS -> plain(name, arity, LOADING_STALE, SLOW_CONNECTION, ORDER);
            case COMMAND_COUNT -> plain(name, arity, LOADING_STALE, SLOW_CONNECTION, NO_STRINGS);
            case INFO -> plain(name, arity, LOADING_STALE, new String[]{"@slow", "@dangerous"},
                new String[]{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"});
            case FLUSHALL -> plain(name, arity, new String[]{"write"},
                new String[]{"@keyspace", "@write", "@slow", "@dangerous"}, ALL_SHARDS_SUCCEEDED);
            case FUNCTION_FLUSH -> plain(name, arity, new String[]{"write", "noscript"},
                new String[]{"@write", "@slow", "@scripting"}, ALL_SHARDS_SUCCEEDED);
        };
    }

    private static Entry plain(final String name, final int arity, final String[] flags, final String[] acl, final String[] tips)
    {
        return new Entry(name, arity, flags, 0, 0, 0, acl, tips, false, new ArrayList<>());
    }

    /** Top-level commands in {@link RespCommand} order, each container holding its subcommands. */
    private static List<Entry> topLevel()
    {
        final Map<String, Entry> byName = new LinkedHashMap<>();
        for (final RespCommand command : RespCommand.values())
        {
            final String name = command.fullName();
            final int bar = name.indexOf('|');
            if (bar < 0)
            {
                byName.put(name, entry(command));
            }
            else
            {
                byName.computeIfAbsent(name.substring(0, bar), RespCommandTable::container).subcommands().add(entry(command));
            }
        }
        return List.copyOf(byName.values());
    }

    private static byte[] build(final int version)
    {
        final RespBuilder out = new RespBuilder(version);
        out.array(TOP_LEVEL.size());
        for (final Entry entry : TOP_LEVEL)
        {
            write(out, entry);
        }
        return out.toByteArray();
    }

    private static void write(final RespBuilder out, final Entry entry)
    {
        out.array(10).bulk(entry.name()).integer(entry.arity()).simpleSet(entry.flags())
            .integer(entry.firstKey()).integer(entry.lastKey()).integer(entry.step())
            .simpleSet(entry.acl()).bulkSet(entry.tips());
        if (entry.keySpec())
        {
            writeSingleKeySpec(out);
        }
        else
        {
            out.set(0);
        }
        if (entry.subcommands().isEmpty())
        {
            out.set(0); // as Redis: an empty set, but an array when there are subcommands
            return;
        }
        out.array(entry.subcommands().size());
        for (final Entry sub : entry.subcommands())
        {
            write(out, sub);
        }
    }

    /** GET's key specification as Redis 7.0 gives it: one read-only key at argument 1. */
    private static void writeSingleKeySpec(final RespBuilder out)
    {
        out.set(1).map(3)
            .bulk("flags").simpleSet("RO", "access")
            .bulk("begin_search").map(2)
            .bulk("type").bulk("index")
            .bulk("spec").map(1).bulk("index").integer(1)
            .bulk("find_keys").map(2)
            .bulk("type").bulk("range")
            .bulk("spec").map(3).bulk("lastkey").integer(0).bulk("keystep").integer(1).bulk("limit").integer(0);
    }
}

package dev.topics.broker.engine;

import dev.topics.transport.codec.TopicMatch;
import dev.topics.transport.codec.TokenPatterns;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Redis globs ({@link TopicMatch#GLOB_PATTERN}, matched by {@link GlobMatcher} as Redis'
 * {@code stringmatchlen} does), held in a list as Redis holds them.
 *
 * <p>What it costs, honestly:
 * <ul>
 * <li>Which globs match a topic ({@link #collectMatches}) tests every glob against the whole
 *     name: globs × (name + pattern) typically, globs × name × pattern at worst, allocation-free.
 *     {@link Routing} asks only on a route-cache miss, so a cached topic's publish pays none of
 *     it; a stream of publishes to uncached topics pays it every time, as Redis pays it on every
 *     {@code PUBLISH}.</li>
 * <li>Which cached topics a new glob matches ({@link #forEachMatchingTopic}) descends the cached
 *     topics' tree along the complete tokens of the glob's literal start (the bytes before its
 *     first {@code *}, {@code ?}, {@code [} or {@code \}), then tests every topic below that
 *     node. {@code orders.eu.*} tests only topics under {@code orders.eu}; a glob starting with a
 *     wildcard, such as {@code *.paid}, tests every cached topic (at most the cache's capacity).</li>
 * </ul>
 *
 * <p>Owned by the engine thread.
 */
final class GlobPatternIndex implements PatternIndex
{
    /** One held glob and its place in {@link #held}. */
    private static final class Entry
    {
        final Pattern pattern;
        final GlobMatcher matcher;
        int slot;

        Entry(final Pattern pattern, final GlobMatcher matcher)
        {
            this.pattern = pattern;
            this.matcher = matcher;
        }
    }

    private final HashMap<TopicName, Entry> byName = new HashMap<>();
    private Entry[] held = new Entry[8];
    private int count;
    private final Tokens prefixTokens = new Tokens();
    private final TopicName probe = TopicName.probe();

    @Override
    public int size()
    {
        return count;
    }

    @Override
    public Pattern find(final TopicName name)
    {
        final Entry entry = byName.get(name);
        return entry == null ? null : entry.pattern;
    }

    @Override
    public Pattern add(final TopicName name)
    {
        final Entry entry = new Entry(new Pattern(name, TopicMatch.GLOB_PATTERN), new GlobMatcher(name.bytes(), name.length()));
        byName.put(name, entry);
        if (count == held.length)
        {
            held = Arrays.copyOf(held, count * 2);
        }
        entry.slot = count;
        held[count++] = entry;
        return entry.pattern;
    }

    @Override
    public void remove(final Pattern pattern)
    {
        final Entry entry = byName.remove(pattern.name);
        final Entry last = held[--count];
        held[entry.slot] = last;
        last.slot = entry.slot;
        held[count] = null;
    }

    @Override
    public void collectMatches(final Tokens topic, final List<Pattern> out)
    {
        final byte[] name = topic.nameBytes();
        final int length = topic.nameLength();
        for (int i = 0; i < count; i++)
        {
            if (held[i].matcher.matches(name, length))
            {
                out.add(held[i].pattern);
            }
        }
    }

    @Override
    public void forEachMatchingTopic(final Pattern pattern, final TokenTree<Topic> cachedTopics, final Consumer<Topic> visitor)
    {
        final GlobMatcher matcher = byName.get(pattern.name).matcher;
        if (matcher.matchesNothing())
        {
            return;
        }
        final TokenTree.Node<Topic> start = prefixNode(pattern.name, matcher.literalPrefix(), cachedTopics);
        if (start != null)
        {
            start.forEachValueFromHere(topic ->
            {
                if (matcher.matches(topic.name.bytes(), topic.name.length()))
                {
                    visitor.accept(topic);
                }
            });
        }
    }

    /**
     * The node under the complete tokens of {@code name[0, prefix)}: all of them when the whole
     * name is literal (a matching topic is the name itself), else those ending in a dot before
     * {@code prefix}; null when no cached topic has them.
     */
    private TokenTree.Node<Topic> prefixNode(final TopicName name, final int prefix, final TokenTree<Topic> cachedTopics)
    {
        final byte[] bytes = name.bytes();
        int end = prefix;
        if (prefix < name.length())
        {
            end = -1;
            for (int i = prefix - 1; i >= 0 && end < 0; i--)
            {
                if (bytes[i] == TokenPatterns.SEPARATOR)
                {
                    end = i;
                }
            }
            if (end < 0)
            {
                return cachedTopics.root();
            }
        }
        final Tokens tokens = prefixTokens.split(bytes, end);
        TokenTree.Node<Topic> node = cachedTopics.root();
        for (int i = 0; i < tokens.count() && node != null; i++)
        {
            node = node.child(tokens.token(i, probe));
        }
        return node;
    }
}

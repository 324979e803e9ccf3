package dev.topics.broker.engine;

import dev.topics.transport.codec.TokenPatterns;
import dev.topics.transport.codec.TopicMatch;

import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * The text protocol's patterns ({@link TokenPatterns}: {@code *} one token, a last {@code >} one
 * or more) in a token tree. Matching a topic walks the tree once along the topic's tokens, trying
 * at each level the literal token, {@code *} and {@code >}: the cost grows with the topic's length
 * and the patterns that share its prefixes, not with the number of patterns (Redis, by contrast,
 * tests every pattern on every publish).
 *
 * <p>Owned by the engine thread.
 */
final class TokenPatternIndex implements PatternIndex
{
    private final HashMap<TopicName, Pattern> byName = new HashMap<>();
    private final TokenTree<Pattern> tree = new TokenTree<>();
    private final Tokens patternTokens = new Tokens();
    private final TopicName probe = TopicName.probe();
    private final TopicName oneToken = TopicName.probe().wrap(new byte[] {TokenPatterns.ONE_TOKEN}, 1).copy();
    private final TopicName oneOrMore = TopicName.probe().wrap(new byte[] {TokenPatterns.ONE_OR_MORE_TOKENS}, 1).copy();

    @Override
    public int size()
    {
        return byName.size();
    }

    @Override
    public Pattern find(final TopicName name)
    {
        return byName.get(name);
    }

    @Override
    public Pattern add(final TopicName name)
    {
        final Pattern pattern = new Pattern(name, TopicMatch.TOKEN_PATTERN);
        byName.put(name, pattern);
        tree.put(patternTokens.split(name), pattern);
        return pattern;
    }

    @Override
    public void remove(final Pattern pattern)
    {
        byName.remove(pattern.name);
        tree.remove(patternTokens.split(pattern.name));
    }

    @Override
    public void collectMatches(final Tokens topic, final List<Pattern> out)
    {
        collect(tree.root(), topic, 0, out);
    }

    private void collect(final TokenTree.Node<Pattern> node, final Tokens topic, final int index, final List<Pattern> out)
    {
        if (index == topic.count())
        {
            if (node.value() != null)
            {
                out.add(node.value());
            }
            return;
        }
        // A topic token that is itself "*" or ">" (possible only from a protocol that publishes
        // such names literally) is the same key as the wildcard: look it up once, as the wildcard.
        final boolean wildcardToken = topic.isExactly(index, TokenPatterns.ONE_TOKEN)
            || topic.isExactly(index, TokenPatterns.ONE_OR_MORE_TOKENS);
        if (!wildcardToken)
        {
            final TokenTree.Node<Pattern> literal = node.child(topic.token(index, probe));
            if (literal != null)
            {
                collect(literal, topic, index + 1, out);
            }
        }
        final TokenTree.Node<Pattern> one = node.child(oneToken);
        if (one != null)
        {
            collect(one, topic, index + 1, out);
        }
        final TokenTree.Node<Pattern> rest = node.child(oneOrMore);
        if (rest != null && rest.value() != null)
        {
            out.add(rest.value());
        }
    }

    @Override
    public void forEachMatchingTopic(final Pattern pattern, final TokenTree<Topic> cachedTopics, final Consumer<Topic> visitor)
    {
        walk(cachedTopics.root(), patternTokens.split(pattern.name), 0, visitor);
    }

    private void walk(final TokenTree.Node<Topic> node, final Tokens pattern, final int index, final Consumer<Topic> visitor)
    {
        if (index == pattern.count())
        {
            if (node.value() != null)
            {
                visitor.accept(node.value());
            }
            return;
        }
        if (pattern.isExactly(index, TokenPatterns.ONE_TOKEN))
        {
            node.forEachChild(child -> walk(child, pattern, index + 1, visitor));
        }
        else if (pattern.isExactly(index, TokenPatterns.ONE_OR_MORE_TOKENS))
        {
            node.forEachChild(child -> child.forEachValueFromHere(visitor));
        }
        else
        {
            final TokenTree.Node<Topic> literal = node.child(pattern.token(index, probe));
            if (literal != null)
            {
                walk(literal, pattern, index + 1, visitor);
            }
        }
    }
}

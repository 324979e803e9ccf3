package dev.topics.broker.engine;

import java.util.List;
import java.util.function.Consumer;

/**
 * The patterns of one syntax, and the two questions {@link Routing} asks of them: which patterns
 * match this topic, and which cached topics does this pattern match. A second syntax (Redis
 * globs) implements this and nothing else changes: the cache, the routes and the engine only see
 * {@link Pattern}s.
 *
 * <p>Owned by the engine thread.
 */
interface PatternIndex
{
    /** Distinct patterns held. */
    int size();

    /** The pattern named as {@code probe} points, or null. */
    Pattern find(TopicName probe);

    /** Creates and holds the pattern named {@code name}, a stored copy; the name is valid in this syntax. */
    Pattern add(TopicName name);

    void remove(Pattern pattern);

    /** Adds to {@code out} every pattern held that matches the concrete topic split in {@code topic}. */
    void collectMatches(Tokens topic, List<Pattern> out);

    /** Calls {@code visitor} with each topic in {@code cachedTopics} that {@code pattern} matches. */
    void forEachMatchingTopic(Pattern pattern, TokenTree<Topic> cachedTopics, Consumer<Topic> visitor);
}

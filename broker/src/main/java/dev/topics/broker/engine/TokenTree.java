package dev.topics.broker.engine;

import java.util.HashMap;
import java.util.function.Consumer;

/**
 * Values stored under names split into tokens, one tree level per token: the shape both pattern
 * matching directions walk. Patterns are stored by their tokens to find those matching a topic
 * ({@code *} and {@code >} are tokens like any other here; the walk gives them meaning), and
 * cached topics are stored by theirs to find those a new pattern matches.
 *
 * <p>Owned by the engine thread. Lookups go through one reusable probe key and allocate nothing;
 * only a new node copies its token.
 *
 * @param <V> what is stored at a node.
 */
final class TokenTree<V>
{
    /** One token's place in the tree; read-only outside this class. */
    static final class Node<V>
    {
        private HashMap<TopicName, Node<V>> children;
        private V value;

        V value()
        {
            return value;
        }

        /** The child under the token {@code probe} points at, or null. */
        Node<V> child(final TopicName probe)
        {
            return children == null ? null : children.get(probe);
        }

        void forEachChild(final Consumer<Node<V>> visitor)
        {
            if (children != null)
            {
                children.values().forEach(visitor);
            }
        }

        /** This node's value and every value below it. */
        void forEachValueFromHere(final Consumer<V> visitor)
        {
            if (value != null)
            {
                visitor.accept(value);
            }
            if (children != null)
            {
                for (final Node<V> child : children.values())
                {
                    child.forEachValueFromHere(visitor);
                }
            }
        }

        private boolean isEmpty()
        {
            return value == null && (children == null || children.isEmpty());
        }
    }

    private final Node<V> root = new Node<>();
    private final TopicName probe = TopicName.probe();

    Node<V> root()
    {
        return root;
    }

    /** Stores {@code value} under {@code tokens}, replacing what was there. */
    void put(final Tokens tokens, final V value)
    {
        Node<V> node = root;
        for (int i = 0; i < tokens.count(); i++)
        {
            if (node.children == null)
            {
                node.children = new HashMap<>(4);
            }
            Node<V> child = node.children.get(tokens.token(i, probe));
            if (child == null)
            {
                child = new Node<>();
                node.children.put(probe.copy(), child);
            }
            node = child;
        }
        node.value = value;
    }

    /** Removes the value under {@code tokens}, and every node that then holds nothing. */
    void remove(final Tokens tokens)
    {
        remove(root, tokens, 0);
    }

    private void remove(final Node<V> node, final Tokens tokens, final int index)
    {
        if (index == tokens.count())
        {
            node.value = null;
            return;
        }
        final Node<V> child = node.child(tokens.token(index, probe));
        if (child == null)
        {
            return;
        }
        remove(child, tokens, index + 1);
        if (child.isEmpty())
        {
            node.children.remove(tokens.token(index, probe));
        }
    }
}

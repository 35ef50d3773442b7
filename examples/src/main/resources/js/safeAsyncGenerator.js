// eventloop4j examples tour: safeAsyncGenerator, the JavaScript original of the Java port.
// The lines between 'seed: begin' and 'seed: end' are the seed document's code block, verbatim.
// --- seed: begin ---
// Async generators for streaming data
async function* asyncGenerator() {
    let i = 0;
    while (i < 5) {
        await new Promise(resolve => setTimeout(resolve, 1000));
        yield i++;
    }
}

// Consuming async generators
async function consumeAsyncGenerator() {
    const gen = asyncGenerator();
    
    for await (const value of gen) {
        console.log('Received:', value);
    }
}

// Async generator with error handling
async function* safeAsyncGenerator() {
    try {
        for (let i = 0; i < 5; i++) {
            if (i === 3) {
                throw new Error('Something went wrong');
            }
            await new Promise(resolve => setTimeout(resolve, 500));
            yield i;
        }
    } catch (error) {
        console.error('Generator error:', error);
        yield 'error-handled';
    }
}
// --- seed: end ---

// Not in the seed, which never consumes safeAsyncGenerator: consume it like asyncGenerator.
async function consumeSafeAsyncGenerator() {
    for await (const value of safeAsyncGenerator()) {
        console.log('Received:', value);
    }
}

consumeSafeAsyncGenerator();
